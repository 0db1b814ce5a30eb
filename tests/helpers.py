"""Helpers for API tests."""

import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **params) -> tuple[int, dict]:
    """GET ``url`` and return (number of SQL queries, JSON body); the response must be a 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def walk(client, url, *, pages: int | None = None, **params) -> list[dict]:
    """Every result of a list, following ``next`` links to the end (or through the first ``pages``)."""
    results, next_url = [], url
    body = client.get(url, params).json()
    for _ in itertools.count(1) if pages is None else range(pages):
        results.extend(body["results"])
        next_url = body["next"]
        if not next_url:
            break
        body = client.get(next_url).json()
    return results


PROBLEM = "application/problem+json"


def assert_problem(
    response, status: int, *, attr: str | None = None, code: str | None = None, extensions: tuple[str, ...] = ()
) -> dict:
    """``response`` is an RFC 9457 problem of ``status`` (naming ``attr`` and ``code`` when given); its body.

    ``extensions``: the members it carries besides the standard ones.
    """
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert set(body) == {*extensions, "type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["type"].startswith("urn:factsapi:problem:")
    if attr is not None:
        assert attr in [e["attr"] for e in body["errors"]], body
    if code is not None:
        assert code in [e["code"] for e in body["errors"]], body
    return body


def error_attrs(response, status: int = 400) -> list[str]:
    """The fields a problem response of ``status`` names, in order."""
    return [error["attr"] for error in assert_problem(response, status)["errors"]]


def load_yaml(text):
    """YAML through libyaml where PyYAML has it: the schema (~19k lines) parses 6× faster."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class _SeedCopy:
    """The rows ``loaddata seed`` wrote, kept per process so that later tests insert them directly.

    Loading the seed through the write path validates and versions 111 objects (~0.3 s); tests that
    only read it get the same rows (facts, links, citations, versions, the changes feed) in a few
    inserts. The copy is taken only from an empty database and reused only into an empty one (none
    of these rows refers to a user or a content type, whose ids a flush would change).
    """

    rows: dict | None = None

    @staticmethod
    def models():
        from django.apps import apps

        # Unmanaged models (``SortedLink``) read tables the through models write.
        models = apps.get_models(include_auto_created=True)
        return [m for m in models if m.__module__.startswith("apps.") and m._meta.managed]

    @classmethod
    def empty(cls) -> bool:
        return not any(m._base_manager.exists() for m in cls.models())


def load_seed() -> None:
    """Load ``fixtures/seed.json`` into the test database, as ``manage.py loaddata seed`` does."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import models as django_models

    copy = _SeedCopy
    if copy.rows is not None and copy.empty():
        with connection.cursor() as cursor:
            for model, (columns, rows) in copy.rows.items():
                # Django reads JSON columns as text; PostgreSQL takes that text back with a cast.
                json_columns = {f.column for f in model._meta.concrete_fields if isinstance(f, django_models.JSONField)}
                cast = "::jsonb" if connection.vendor == "postgresql" else ""
                table = connection.ops.quote_name(model._meta.db_table)
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(f"%s{cast}" if c in json_columns else "%s" for c in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            for sql in connection.ops.sequence_reset_sql(no_style(), list(copy.rows)):
                cursor.execute(sql)
        return
    was_empty = copy.empty()
    call_command("loaddata", "seed", verbosity=0)
    if not was_empty:
        return
    rows = {}
    with connection.cursor() as cursor:
        for model in copy.models():
            columns = [f.column for f in model._meta.concrete_fields]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(model._meta.db_table)}")
            fetched = cursor.fetchall()
            if fetched:
                rows[model] = (columns, fetched)
    copy.rows = rows
