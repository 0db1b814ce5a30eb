"""Bulk import: ``manage.py import_facts`` and the admin's import/export, through the one write path."""

import csv
import io
import json

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.core.record.versions import history_model
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests import factories
from tests.helpers import walk
from tests.resources import RESOURCES, STATEMENTS

pytestmark = pytest.mark.django_db

# Fields that legitimately differ after an import into an empty database: when the row was written
# there. (``version`` would too for a row that had a history before; the seed's rows are all at 1.)
RECORD_TIME = {"created_at", "updated_at"}


def api_state(client) -> dict[str, list[dict]]:
    """Every item of every resource, as the lists show them, less the record-time fields."""
    return {
        r.name: [{k: v for k, v in item.items() if k not in RECORD_TIME} for item in walk(client, r.url, page_size=200)]
        for r in RESOURCES
    }


def export_all(client, directory, fmt: str) -> list[str]:
    paths = []
    for resource in RESOURCES:
        response = client.get(f"/api/v1/export/{resource.name}.{fmt}")
        assert response.status_code == 200
        path = directory / f"{resource.name}.{fmt}"
        path.write_bytes(b"".join(response.streaming_content))
        paths.append(str(path))
    return paths


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_the_seed_exported_and_imported_into_an_empty_database_is_the_same_api(api, tmp_path, fmt):
    call_command("loaddata", "seed", verbosity=0)
    before = api_state(api)
    assert all(before.values())
    paths = export_all(api, tmp_path, fmt)
    call_command("flush", interactive=False, verbosity=0)
    assert not any(api_state(api).values())

    out = io.StringIO()
    call_command("import_facts", *paths, stdout=out)
    rows = sum(len(items) for items in before.values())
    assert out.getvalue().strip() == f"Imported: {rows} created, 0 changed, 0 unchanged."
    assert api_state(api) == before
    # One "created" version each, by the write path; importing the same files again changes nothing.
    assert all(
        list(history_model(r.model).objects.values_list("change", flat=True)) == ["created"] * len(before[r.name])
        for r in RESOURCES
    )
    call_command("import_facts", *paths, stdout=out)
    assert out.getvalue().strip().endswith(f"Imported: 0 created, 0 changed, {rows} unchanged.")
    assert api_state(api) == before


def write_csv(path, rows: list[dict]) -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def exported_statements(api) -> list[dict]:
    body = b"".join(api.get("/api/v1/export/statements.csv").streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body, newline="")))


def test_import_updates_existing_rows_as_one_new_version_each(api, tmp_path):
    statement = factories.make_statement(text="before")
    (row,) = exported_statements(api)
    row["text"] = "after, with a comma and «Unicode»"
    out = io.StringIO()
    call_command("import_facts", write_csv(tmp_path / "statements.csv", [row]), "-v2", stdout=out)
    assert f"statements {statement.pk}: changed (text)" in out.getvalue()
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("after, with a comma and «Unicode»", 2)
    assert list(statement.history.order_by("version").values_list("change", flat=True)) == ["created", "changed"]


def test_dry_run_reports_and_writes_nothing(api, tmp_path):
    statement = factories.make_statement(text="before")
    (row,) = exported_statements(api)
    new = {**row, "id": "", "text": "a new one"}
    row["text"] = "after"
    out = io.StringIO()
    call_command(
        "import_facts", write_csv(tmp_path / "s.csv", [row, new]), "--resource", "statements", "--dry-run", stdout=out
    )
    assert out.getvalue().strip() == "Dry run, nothing written: would be 1 created, 1 changed, 0 unchanged."
    statement.refresh_from_db()
    assert (statement.text, statement.version, Statement.objects.count()) == ("before", 1, 1)


def test_one_bad_row_and_nothing_is_written(api, tmp_path):
    factories.make_statement(text="before")
    (row,) = exported_statements(api)
    good = {**row, "id": "", "text": "new and fine"}
    changed = {**row, "text": "changed"}
    bad = {**row, "id": "", "speaker": "nobody", "citations": "[]"}
    with pytest.raises(CommandError) as error:
        call_command("import_facts", write_csv(tmp_path / "statements.csv", [good, changed, bad]))
    message = str(error.value)
    assert message.startswith("Nothing was imported; 1 row(s) refused:")
    assert "statements row 3: speaker:" in message
    assert "citations: This list may not be empty." in message
    assert list(Statement.objects.values_list("text", flat=True)) == ["before"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"{}", "statements.json", "array"),
        (b"[1]", "statements.ndjson", "object"),
        (b"not json", "statements.ndjson", "Expecting value"),
        (b"id\n", "statements.txt", "Unknown file type .txt"),
        (b"id\n", "things.csv", "name the file after its resource"),
    ],
)
def test_unreadable_files_are_refused_by_name(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_facts", str(path))


def test_a_malformed_id_or_unknown_reference_names_the_column(api, tmp_path):
    factories.make_statement()
    (row,) = exported_statements(api)
    with pytest.raises(CommandError, match=r"row 1: id: Not a valid UUID"):
        call_command("import_facts", write_csv(tmp_path / "statements.csv", [{**row, "id": "nope"}]))
    source_less = {**row, "id": "", "citations": json.dumps([{"source": "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"}])}
    with pytest.raises(CommandError, match=r"row 1: citations\.0\.source:"):
        call_command("import_facts", write_csv(tmp_path / "statements.csv", [source_less]))


def test_child_topics_may_come_before_their_parents_in_a_file(tmp_path):
    rows = [
        {"slug": "child", "name": "Child", "description": "", "parent": "parent"},
        {"slug": "parent", "name": "Parent", "description": "", "parent": ""},
    ]
    call_command("import_facts", write_csv(tmp_path / "topics.csv", rows), stdout=io.StringIO())
    assert Topic.objects.get(slug="child").parent.slug == "parent"


def test_xlsx_and_json_files_import_too(api, tmp_path):
    statement = factories.make_statement(text="before")
    (row,) = exported_statements(api)
    dataset = tablib.Dataset(headers=list(row))
    dataset.append([{**row, "text": "from a spreadsheet"}[k] for k in row])
    (tmp_path / "statements.xlsx").write_bytes(dataset.export("xlsx"))
    call_command("import_facts", str(tmp_path / "statements.xlsx"), stdout=io.StringIO())
    statement.refresh_from_db()
    assert statement.text == "from a spreadsheet"
    item = api.get(STATEMENTS.item_url(statement)).json()
    (tmp_path / "statements.json").write_text(json.dumps([{**item, "text": "from JSON"}]))
    call_command("import_facts", str(tmp_path / "statements.json"), stdout=io.StringIO())
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("from JSON", 3)


# -- the admin ---------------------------------------------------------------------------------


def test_admin_exports_csv_json_and_xlsx_as_the_api_does(api, editor_client):
    statement = factories.make_statement(text='a, "quoted"\nline')
    url = reverse("admin:statements_statement_export")
    page = editor_client.get(url)
    assert page.status_code == 200
    formats = {label: value for value, label in page.context["form"].fields["format"].choices}
    csv_body = editor_client.post(url, {"format": formats["csv"], "resource": 0}).content
    api_csv = b"".join(api.get("/api/v1/export/statements.csv").streaming_content)
    assert list(csv.reader(io.StringIO(csv_body.decode(), newline=""))) == list(
        csv.reader(io.StringIO(api_csv.decode(), newline=""))
    )
    (item,) = json.loads(editor_client.post(url, {"format": formats["json"], "resource": 0}).content)
    assert item == api.get(STATEMENTS.item_url(statement)).json()
    xlsx = editor_client.post(url, {"format": formats["xlsx"], "resource": 0}).content
    assert tablib.Dataset().load(xlsx, "xlsx").dict[0]["text"] == 'a, "quoted"\nline'


def admin_import(client, model_name: str, content: bytes, fmt: str, name: str):
    url = reverse(f"admin:statements_{model_name}_import")
    formats = {label: value for value, label in client.get(url).context["form"].fields["format"].choices}
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(url, {"format": formats[fmt], "resource": 0, "import_file": upload})


def test_admin_import_previews_then_writes_each_change_as_a_version(api, editor_client, editor):
    statement = factories.make_statement(text="before")
    (row,) = exported_statements(api)
    new = {**row, "id": "", "text": "a new one"}
    row["text"] = "after"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerows([row, new])
    preview = admin_import(editor_client, "statement", buffer.getvalue().encode(), "csv", "statements.csv")
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert [(r.import_type, r.diff[0]) for r in result.valid_rows()] == [("update", "text"), ("new", "new")]
    assert (Statement.objects.count(), Statement.objects.get().text) == (1, "before")  # a dry run
    confirm = preview.context["confirm_form"]
    done = editor_client.post(
        reverse("admin:statements_statement_process_import"),
        {name: field.initial for name, field in confirm.fields.items()} | confirm.initial,
    )
    assert done.status_code == 302
    statement.refresh_from_db()
    assert (statement.text, statement.version) == ("after", 2)
    assert statement.history.get(version=2).history_user == editor
    created = Statement.objects.get(text="a new one")
    assert created.history.get().history_user == editor


def test_admin_import_with_a_bad_row_shows_it_and_writes_nothing(api, editor_client):
    factories.make_statement(text="before")
    (row,) = exported_statements(api)
    rows = [{**row, "text": "changed"}, {**row, "id": "", "certainty": "sure"}]
    preview = admin_import(editor_client, "statement", json.dumps(rows).encode(), "json", "statements.json")
    result = preview.context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert (invalid.number, list(invalid.field_specific_errors)) == (2, ["certainty"])
    assert "confirm_form" not in preview.context
    assert Statement.objects.get().text == "before"


def test_only_editors_may_import(client, django_user_model):
    staff = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:statements_statement_import")).status_code == 403
