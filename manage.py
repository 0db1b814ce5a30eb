#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")
    # A command (migrate, an import, an export to a file) may rightly run a statement for minutes:
    # no statement timeout unless one is set. The development server keeps the web's default.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
