"""Full-text search of deadlines on PostgreSQL (issue 7, item 4), as statements have (statements/0007).

``search_vector``: the title (weight A), then the description and outcome (C), under the ``simple``
configuration; a stored generated column, since it reads only the deadline's own columns. GIN-indexed
without a pending list. Not a model field: the version tables, serializers and SQLite never see it.
"""

from django.db import migrations

from apps.core.migration_ops import postgresql_sql

FORWARD = r"""
ALTER TABLE deadlines_deadline ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(description, '') || ' ' || coalesce(outcome, '')), 'C')
) STORED;
CREATE INDEX deadlines_search_idx ON deadlines_deadline USING gin (search_vector) WITH (fastupdate = off);
"""

BACKWARD = "ALTER TABLE deadlines_deadline DROP COLUMN search_vector;"


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0006_evidence")]

    operations = [postgresql_sql(FORWARD, BACKWARD)]
