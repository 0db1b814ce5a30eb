"""Indexed search of events on SQLite (issue 7, item 4), as PostgreSQL has full text (0006): an FTS5
trigram index of the title, description and location (see statements/0008). Nothing on PostgreSQL."""

from django.db import migrations

from apps.core.migration_ops import sqlite_trigram_index


class Migration(migrations.Migration):
    dependencies = [("events", "0006_search_vector")]

    operations = [
        sqlite_trigram_index(
            "events_event",
            {"title": "f.title", "description": "f.description", "location": "f.location"},
        )
    ]
