"""Full-text search of events on PostgreSQL (issue 7, item 4), as statements have (statements/0007).

``search_vector``: the title (weight A), then the description and location (C), under the ``simple``
configuration; a stored generated column, since it reads only the event's own columns. GIN-indexed
without a pending list. Not a model field: the version tables, serializers and SQLite never see it.
"""

from django.db import migrations

from apps.core.migration_ops import postgresql_sql

FORWARD = r"""
ALTER TABLE events_event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(location, '')), 'C')
) STORED;
CREATE INDEX events_search_idx ON events_event USING gin (search_vector) WITH (fastupdate = off);
"""

BACKWARD = "ALTER TABLE events_event DROP COLUMN search_vector;"


class Migration(migrations.Migration):
    dependencies = [("events", "0005_seek_indexes")]

    operations = [postgresql_sql(FORWARD, BACKWARD)]
