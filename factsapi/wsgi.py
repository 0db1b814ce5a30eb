"""WSGI entry point: `gunicorn factsapi.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")

application = get_wsgi_application()
