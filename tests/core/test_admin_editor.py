"""What an editor sees: dates at their precision, errors at the field, history in words, docs a click away.

The browser drives the same pages in tests/browser/; these check the HTML the server sends.
"""

import datetime
import re

import pytest
from django.urls import reverse

from apps.core.dates import display_date
from apps.core.record import services
from apps.statements.models import Statement
from tests import factories
from tests.core.test_admin import statement_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (datetime.date(2026, 1, 4), "day", "4 Jan 2026"),
        (datetime.date(2025, 8, 1), "month", "Aug 2025"),
        ("2025-01-01", "year", "2025"),
        (None, "day", "—"),
    ],
)
def test_display_date_shows_only_what_is_known(value, precision, shown):
    assert display_date(value, precision) == shown


def result_rows(response) -> list[str]:
    """The changelist's rows as text, one string per row."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", response.content.decode().split('id="result_list"')[1], re.S)
    return [
        " | ".join(re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S))
        for row in rows[1:]
    ]


def test_statement_changelist_shows_month_year_and_undated_as_known(editor_client):
    factories.make_statement(text="In August", said_on=datetime.date(2025, 8, 1), date_precision="month")
    factories.make_statement(text="In 2025", said_on=datetime.date(2025, 1, 1), date_precision="year")
    factories.make_statement(text="Some day", said_on=datetime.date(2026, 1, 14))
    factories.make_statement(text="Undated", said_on=None)
    rows = result_rows(editor_client.get(reverse("admin:statements_statement_changelist")))
    by_text = {next(t for t in ("In August", "In 2025", "Some day", "Undated") if t in row): row for row in rows}
    assert "| Aug 2025 | Month |" in by_text["In August"]
    assert "| 2025 | Year |" in by_text["In 2025"]
    assert "| 14 Jan 2026 | Day |" in by_text["Some day"]
    assert "| — | — |" in by_text["Undated"]  # no date, so no "Day" either
    assert not any("Aug. 1, 2025" in row for row in rows)


def test_position_changelist_has_a_precision_column(editor_client):
    factories.make_position(valid_from=datetime.date(2025, 8, 1), date_precision="month")
    response = editor_client.get(reverse("admin:positions_position_changelist"))
    [row] = result_rows(response)
    assert "| since Aug 2025 | Month |" in row
    assert "column-date_precision_shown" in response.content.decode()


def test_overdue_list_on_the_index_shows_the_due_date_at_its_precision(editor_client):
    factories.make_deadline(title="Talks by February", due_on=datetime.date(2025, 2, 1), date_precision="month")
    html = editor_client.get(reverse("admin:index")).content.decode()
    overdue = html.split('id="overdue-deadlines"')[1].split("</table>")[0]
    assert "Talks by February" in overdue
    assert "due Feb 2025" in overdue


def test_precision_sits_on_the_line_of_the_dates_it_governs(editor_client):
    position = factories.make_position(valid_from=datetime.date(2025, 8, 1), date_precision="month")
    response = editor_client.get(reverse("admin:positions_position_change", args=[position.pk]))
    [(_, options)] = response.context["adminform"].fieldsets
    assert ("valid_from", "valid_to", "date_precision", "reads_as") in options["fields"]
    assert re.search(r"Shown as:.*?Aug 2025 – —", response.content.decode(), re.S)


def test_month_date_not_on_the_first_is_an_error_on_the_date_field(editor_client, statement):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    data = statement_form(statement, statement.citations.get(), said_on="2025-08-15", date_precision="month")
    response = editor_client.post(url, data)
    form = response.context["adminform"].form
    assert form.errors["said_on"] == ["A month-precision date must be the 1st of its month."]
    assert form.non_field_errors() == []
    html = response.content.decode()
    # Rendered beside the field (in its row), not in the error box at the top of the form.
    said_on_row = html.split("field-said_on")[1].split("field-medium")[0]
    assert "must be the 1st of its month" in said_on_row
    assert "errornote" in html
    assert 'class="errorlist nonfield"' not in html


def test_range_error_names_the_end_field(editor_client):
    position = factories.make_position(valid_from=datetime.date(2025, 8, 1))
    url = reverse("admin:positions_position_change", args=[position.pk])
    citation = position.citations.get()
    data = {
        "loaded_version": position.version,
        "actor": position.actor.pk,
        "topic": position.topic.pk,
        "stance": position.stance,
        "summary": position.summary,
        "valid_from": "2025-08-01",
        "valid_to": "2025-07-01",
        "date_precision": "day",
        "certainty": "confirmed",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": citation.pk,
        "citations-0-position": position.pk,
        "citations-0-source": citation.source_id,
    }
    form = editor_client.post(url, data).context["adminform"].form
    assert list(form.errors) == ["valid_to"]


def test_history_is_one_line_per_version_saying_what_changed(editor_client, statement):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    citation = statement.citations.get()
    editor_client.post(url, statement_form(statement, citation, said_on="2025-08-01", date_precision="month"))
    statement.refresh_from_db()
    editor_client.post(url, statement_form(statement, citation, text="Edited"))
    html = editor_client.get(reverse("admin:statements_statement_history", args=[statement.pk])).content.decode()
    table = html.split('id="versions"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 3
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert "Changed" in texts[0]
    assert "text: " in texts[0]
    assert "→ Edited" in texts[0]
    assert "said on: 14 Jan 2026 → Aug 2025" in texts[1]
    assert "date precision: day → month" in texts[1]
    assert texts[2].startswith("1 ")
    assert "Created" in texts[2]
    assert "None" not in table


def test_browsable_filter_forms_label_every_field_and_take_slugs_as_text(api):
    for resource in ["actors", "roles", "topics", "sources", "events", "statements", "positions", "deadlines"]:
        html = api.get(f"/api/v1/{resource}/", HTTP_ACCEPT="text/html").content.decode()
        form = html.split('id="filtersModal"')[1].split("</form>")[0]
        assert "[invalid name]" not in form, resource
        multiple = re.findall(r'<select name="(\w+)"[^>]*multiple', form)
        # Only fixed choice sets are multi-selects; rows (actors, topics, events) are typed in.
        assert not set(multiple) & {"speaker", "about", "topic", "event", "actor", "participant", "parent"}, resource
    factories.make_actor(slug="a")
    factories.make_actor(slug="b")
    html = api.get("/api/v1/statements/?speaker=a&speaker=b", HTTP_ACCEPT="text/html").content.decode()
    assert re.search(r'<label for="id_q">Search:</label>', html)
    assert len(re.findall(r'<input type="text" name="speaker" value="[ab]"', html)) == 2


def test_slug_filter_still_reads_repeated_values(api):
    trump = factories.make_actor(slug="donald-trump")
    putin = factories.make_actor(slug="vladimir-putin")
    factories.make_statement(speaker=trump)
    factories.make_statement(speaker=putin)
    factories.make_statement()
    response = api.get("/api/v1/statements/?speaker=donald-trump&speaker=vladimir-putin")
    assert sorted(s["speaker"]["slug"] for s in response.json()["results"]) == ["donald-trump", "vladimir-putin"]
    bad = api.get("/api/v1/statements/?speaker=nobody")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "speaker"


def test_api_root_and_every_browsable_page_link_the_docs_and_schema(api):
    root = api.get("/api/v1/").json()
    assert root["schema"].endswith("/api/v1/schema/")
    assert root["docs"].endswith("/api/v1/docs/")
    assert root["redoc"].endswith("/api/v1/redoc/")
    for path in ["/api/v1/", "/api/v1/statements/", "/api/v1/changes/", "/api/v1/actors/"]:
        html = api.get(path, HTTP_ACCEPT="text/html").content.decode()
        for link in ['href="/api/v1/docs/"', 'href="/api/v1/redoc/"', 'href="/api/v1/schema/"']:
            assert link in html, (path, link)


def test_redoc_and_swagger_pages_reference_nothing_outside_the_server(client):
    for path in ["/api/v1/redoc/", "/api/v1/docs/", "/api/v1/docs/?script="]:
        text = client.get(path).content.decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
        assert "fonts.googleapis" not in text, path
        assert "cdn." not in text, path
    redoc = client.get("/api/v1/redoc/").content.decode()
    bundle_url = re.search(r'<script src="([^"]+)"', redoc).group(1)
    bundle = client.get(bundle_url).content
    assert b"Redoc" in bundle
    assert len(bundle) > 500_000
    assert b"cdn.redoc.ly" not in bundle


def test_statement_model_errors_are_keyed_by_field():
    statement = Statement(said_on=datetime.date(2025, 8, 2), date_precision="month")
    with pytest.raises(Exception) as info:  # noqa: PT011 - the ValidationError's dict is what is checked
        statement.clean()
    assert list(info.value.message_dict) == ["said_on"]


def test_a_deadline_is_named_with_its_date_at_its_precision():
    deadline = factories.make_deadline(title="Talks", due_on=datetime.date(2026, 2, 1), date_precision="month")
    assert str(deadline) == "Talks (Feb 2026)"


def test_source_history_reads_its_publication_date_at_its_precision_and_the_retrieval_as_a_day(editor_client):
    source = factories.make_source(published_on=datetime.date(2025, 8, 14), retrieved_on=None)
    services.update(
        source, data={"published_on": datetime.date(2025, 8, 1), "published_on_precision": "month"}, user=None
    )
    source.refresh_from_db()
    services.update(source, data={"retrieved_on": datetime.date(2026, 1, 15)}, user=None)
    html = editor_client.get(reverse("admin:sources_source_history", args=[source.pk])).content.decode()
    assert "published on: 14 Aug 2025 → Aug 2025" in html
    assert "published on precision: day → month" in html
    assert "retrieved on: — → 15 Jan 2026" in html


def test_a_version_is_shown_whole_field_by_field_beside_the_one_before(editor_client, statement):
    long_text = "A quote long enough that the history line would cut it short, " * 3
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    editor_client.post(url, statement_form(statement, statement.citations.get(), text=long_text.strip()))
    html = editor_client.get(reverse("admin:statements_statement_version", args=[statement.pk, 2])).content.decode()
    table = html.split('id="version-fields"')[1].split("</table>")[0]
    changed = re.findall(r'<tr class="changed">(.*?)</tr>', table, re.S)
    assert len(changed) == 1  # only the text differs (updated_at and version are the record's own)
    assert long_text.strip() in changed[0]  # whole, not cut at 32 characters
    assert statement.text in changed[0]
    assert "14 Jan 2026" in table  # dates at their precision, as everywhere in the admin
    assert "Version 2: changed" in html


def test_revert_asks_first_showing_what_would_change_and_reverts_on_confirm(editor_client, statement):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    original = statement.text
    editor_client.post(url, statement_form(statement, statement.citations.get(), text="Edited"))
    revert = reverse("admin:statements_statement_revert", args=[statement.pk, 1])

    page = editor_client.get(revert).content.decode()
    statement.refresh_from_db()
    assert statement.version == 2  # asking changes nothing
    table = page.split('id="version-fields"')[1].split("</table>")[0]
    rows = re.findall(r"<tr class=\"changed\">(.*?)</tr>", table, re.S)
    assert len(rows) == 1
    assert "Edited" in rows[0]
    assert original in rows[0]
    assert 'value="Yes, revert to version 1"' in page

    editor_client.post(revert)
    statement.refresh_from_db()
    assert (statement.version, statement.text) == (3, original)
