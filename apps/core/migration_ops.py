"""Operations for migrations that only PostgreSQL needs (full-text search: ``apps.core.search``)."""

from django.db import migrations


def postgresql_sql(forward: str, backward: str) -> migrations.RunPython:
    """Run ``forward`` (and ``backward`` when unapplied) on PostgreSQL; nothing on SQLite."""

    def run(sql: str):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
