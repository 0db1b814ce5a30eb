"""ASGI entry point."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsapi.settings")

settings.SECRET_KEY  # noqa: B018 - fail at start-up, not on the first request, when it is not set

application = get_asgi_application()
