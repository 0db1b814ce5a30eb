"""Indexed search of deadlines on SQLite (issue 7, item 4), as PostgreSQL has full text (0007): an
FTS5 trigram index of the title, description and outcome (see statements/0008). Nothing on PostgreSQL."""

from django.db import migrations

from apps.core.migration_ops import sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0007_search_vector")]

    operations = [
        sqlite_trigram_index(
            "deadlines_deadline",
            {"title": "f.title", "description": "f.description", "outcome": "f.outcome"},
        )
    ]
