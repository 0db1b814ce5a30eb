"""Bulk export: /api/v1/export/<resource>.ndjson and .csv, for every resource."""

import csv
import io
import json
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.bulk import export
from apps.core.record import services
from apps.statements.models import Statement
from tests import factories
from tests.core.test_hardening import low_rates  # noqa: F401  (a fixture)
from tests.core.test_record import moment
from tests.helpers import assert_problem, error_attrs, walk
from tests.resources import RESOURCES, STATEMENTS

pytestmark = pytest.mark.django_db

FORMATS = ("ndjson", "csv")


def each(resources):
    return pytest.mark.parametrize("resource", resources, ids=str)


def export_url(resource, fmt: str) -> str:
    return f"/api/v1/export/{resource.name}.{fmt}"


def download(client, url, **params):
    """(response, body bytes) of an export; the response must be a streamed 200."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content)


def ndjson(client, resource, **params) -> list[dict]:
    response, body = download(client, export_url(resource, "ndjson"), **params)
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert body == b"" or body.endswith(b"\n")
    return [json.loads(line) for line in body.decode().splitlines()]


def csv_rows(client, resource, **params) -> tuple[list[str], list[dict]]:
    response, body = download(client, export_url(resource, "csv"), **params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{resource.name}.csv"'
    reader = csv.DictReader(io.StringIO(body.decode(), newline=""))
    return list(reader.fieldnames or []), list(reader)


@each(RESOURCES)
def test_ndjson_is_every_row_of_the_list_exactly_as_the_list_shows_it(api, resource):
    resource.sample()
    resource.many(3)
    expected = walk(api, resource.url, page_size=2)
    assert ndjson(api, resource) == expected
    assert len(expected) >= 4


@each(RESOURCES)
def test_csv_has_a_column_per_field_and_a_row_per_item(api, resource):
    sample = resource.sample()
    header, rows = csv_rows(api, resource)
    item = api.get(resource.item_url(sample)).json()
    assert header == list(item)
    (row,) = [r for r in rows if r[resource.key] == sample.public_id]
    assert row == export.flatten_item(item, _serializer(resource))


def _serializer(resource):
    from django.utils.module_loading import import_string

    return import_string(resource.model.api_serializer)()


def test_csv_flattens_links_citations_and_lists(api, trump, putin, peace_talks, arms_control, source):
    statement = factories.make_statement(
        speaker=trump,
        about=[putin, trump],
        topics=[peace_talks, arms_control],
        said_on=None,
        citations=[{"source": source, "excerpt": "he said", "locator": "para 1"}],
    )
    _, rows = csv_rows(api, STATEMENTS)
    (row,) = rows
    assert row["speaker"] == "donald-trump"
    assert sorted(row["about"].split(";")) == ["donald-trump", "vladimir-putin"]
    assert sorted(row["topics"].split(";")) == ["arms-control", "ukraine-peace-talks"]
    assert row["said_on"] == ""  # null
    assert row["event"] == ""
    assert json.loads(row["citations"]) == [
        {"source": str(source.pk), "excerpt": "he said", "locator": "para 1", "note": ""}
    ]
    assert row["id"] == str(statement.pk)
    actor_header, _ = csv_rows(api, RESOURCES[0], slug="vladimir-putin")
    assert "aliases" in actor_header


def test_csv_quotes_commas_newlines_quotes_and_keeps_unicode(api):
    text = 'He said, "no deal"\nthen left — «Путин», 🕊️'
    statement = factories.make_statement(text=text, medium="a, b")
    _, body = download(api, export_url(STATEMENTS, "csv"))
    raw = body.decode("utf-8")
    assert '"He said, ""no deal""\nthen left — «Путин», 🕊️"' in raw
    assert raw.endswith("\r\n")
    (row,) = csv.DictReader(io.StringIO(raw, newline=""))
    assert (row["text"], row["medium"], row["id"]) == (text, "a, b", str(statement.pk))
    (item,) = ndjson(api, STATEMENTS)
    assert item["text"] == text
    assert "Путин" in body.decode()  # UTF-8 as is, not \u escapes
    assert "Путин".encode() in b"".join(download(api, export_url(STATEMENTS, "ndjson"))[1:])


@each(RESOURCES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_rows_is_an_empty_export(api, resource, fmt):
    _, body = download(api, export_url(resource, fmt))
    if fmt == "csv":
        assert body.decode().count("\r\n") == 1  # the header only
        assert body.decode().startswith(f"{resource.key},")
    else:
        assert body == b""


@pytest.mark.parametrize(
    ("resource", "name"), [pytest.param(r, n, id=f"{r}-{n}") for r in RESOURCES for n in r.filters]
)
def test_the_lists_filters_select_the_rows(api, resource, name):
    sample = resource.sample()
    values = resource.filters[name]
    for fmt in FORMATS:
        params = {name: values.match}
        ids = (
            [row[resource.key] for row in ndjson(api, resource, **params)]
            if fmt == "ndjson"
            else [row[resource.key] for row in csv_rows(api, resource, **params)[1]]
        )
        assert sample.public_id in ids
    assert sample.public_id not in [row[resource.key] for row in ndjson(api, resource, **{name: values.miss})]


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    [
        pytest.param(r, n, v, id=f"{r}-{n}={v}")
        for r in RESOURCES
        for n, values in [*r.filters.items(), ("ordering", None), ("as_of", None)]
        for v in (values.bad if values else ([r.bad_ordering] if n == "ordering" else ["yesterday"]))
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_filter_is_the_lists_400_naming_the_parameter(api, resource, name, value, fmt):
    response = api.get(export_url(resource, fmt), {name: value})
    assert not response.streaming
    assert error_attrs(response) == [name]


@pytest.mark.parametrize("path", ["nothing.csv", "statements.xml", "statements", "statements.csv/", "Statements.csv"])
def test_an_unknown_resource_or_format_is_a_404_problem(api, path):
    assert_problem(api.get(f"/api/v1/export/{path}"), 404)


def test_ordering_is_honoured(api):
    early, late = (factories.make_statement(said_on=d) for d in ("2025-01-01", "2026-01-01"))
    ids = [row["id"] for row in ndjson(api, STATEMENTS, ordering="said_on")]
    assert ids == [str(early.pk), str(late.pk)]
    assert [row["id"] for row in ndjson(api, STATEMENTS)] == [str(late.pk), str(early.pk)]


def test_as_of_exports_the_data_as_it_then_stood(api):
    statement = factories.make_statement(text="original")
    then = moment()
    services.update(statement, data={"text": "edited"})
    factories.make_statement(text="created later")
    rows = ndjson(api, STATEMENTS, as_of=then)
    assert [(r["id"], r["text"], r["version"]) for r in rows] == [(str(statement.pk), "original", 1)]
    assert [r["text"] for r in csv_rows(api, STATEMENTS, as_of=then)[1]] == ["original"]
    assert {r["text"] for r in ndjson(api, STATEMENTS)} == {"edited", "created later"}


def test_anonymous_and_editor_may_export(api, editor_api):
    factories.make_statement()
    assert len(ndjson(api, STATEMENTS)) == len(ndjson(editor_api, STATEMENTS)) == 1


@pytest.mark.usefixtures("low_rates")
def test_the_export_is_throttled_like_the_rest(api):
    factories.make_statement()
    statuses = [api.get(export_url(STATEMENTS, "csv")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert_problem(api.get(export_url(STATEMENTS, "ndjson")), 429)


@each(RESOURCES)
def test_queries_grow_with_batches_not_rows(api, resource, monkeypatch):
    # Each batch costs what a list page costs (resource.list_queries: the rows, then each prefetch);
    # a last batch that comes out full costs one more query, finding nothing after it.
    monkeypatch.setattr(export, "BATCH_SIZE", 5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            download(api, export_url(resource, "ndjson"))
        return len(ctx.captured_queries)

    def expected() -> int:
        rows = resource.model._base_manager.count()
        return -(-rows // 5) * len(resource.list_queries) + (1 if rows % 5 == 0 else 0)

    resource.many(1)
    assert queries() == expected() == len(resource.list_queries)  # one batch
    resource.many(3)
    assert queries() == expected()
    resource.many(7)
    assert resource.model._base_manager.count() > 10
    assert queries() == expected() >= 3 * len(resource.list_queries)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_export_is_one_snapshot_while_others_write(api, monkeypatch):
    """A write that commits while the export streams is not in it (PostgreSQL: REPEATABLE READ; SQLite: the
    writer waits for the export's read transaction to end)."""
    monkeypatch.setattr(export, "BATCH_SIZE", 2)
    rows = [factories.make_statement(said_on=f"2025-0{n}-01") for n in range(1, 7)]
    before = {str(r.pk) for r in rows}
    response = api.get(export_url(STATEMENTS, "ndjson"))
    chunks = iter(response.streaming_content)
    first = next(chunks)  # the transaction is open, two rows sent
    done = []

    def write():
        try:
            factories.make_statement(text="written meanwhile", said_on="2025-01-15")
            services.delete(Statement.objects.get(pk=rows[0].pk))  # the oldest: not sent yet
            done.append(True)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    writer.join(2)  # PostgreSQL: committed by now; SQLite: still waiting for the export to end
    body = first + b"".join(chunks)
    writer.join(30)
    assert done == [True]
    exported = [json.loads(line) for line in body.decode().splitlines()]
    assert {r["id"] for r in exported} == before
    assert Statement.objects.filter(text="written meanwhile").exists()
    assert not Statement.objects.filter(pk=rows[0].pk).exists()


def test_every_resource_has_both_exports_in_the_schema_with_their_media_types():
    from pathlib import Path

    from django.conf import settings

    from apps.core.record.versions import versioned_models
    from tests.helpers import load_yaml

    paths = load_yaml((Path(settings.BASE_DIR) / "tests" / "snapshots" / "openapi-v1.yaml").read_text())["paths"]
    for model in versioned_models():
        for fmt, media in (("ndjson", "application/x-ndjson"), ("csv", "text/csv")):
            operation = paths[f"/api/v1/export/{model.api_resource}.{fmt}"]["get"]
            assert operation["operationId"] == f"{model.api_resource}_export_{fmt}"
            assert list(operation["responses"]["200"]["content"]) == [media]
            assert operation["responses"]["400"]["content"].keys() == {"application/problem+json"}
            names = {p["name"] for p in operation["parameters"]}
            assert "as_of" in names
            assert {"cursor", "page_size"}.isdisjoint(names)
