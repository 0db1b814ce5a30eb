"""Evidence links: a position or deadline citing the statements and events it rests on.

Written as ids under ``evidence``, read embedded in brief, filterable, bounded,
versioned with the fact (history, ``as_of``, revert), and dropped, with a new
version of the citing fact, when the statement or event is deleted.
"""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import MAX_LINKS
from apps.core.record import services
from apps.core.record.versions import m2m_ids
from apps.deadlines.models import Deadline
from apps.positions.models import Position
from apps.statements.models import Statement
from tests import factories
from tests.helpers import assert_problem, error_attrs

pytestmark = pytest.mark.django_db

BUILDERS = {"positions": factories.make_position, "deadlines": factories.make_deadline}
each_resource = pytest.mark.parametrize("resource", sorted(BUILDERS))


def moment() -> str:
    """A timestamp strictly between the versions written before and after it."""
    time.sleep(0.002)
    value = timezone.now()
    time.sleep(0.002)
    return value.isoformat().replace("+00:00", "Z")


def ids(evidence: dict) -> dict:
    return {name: [item["id"] for item in items] for name, items in evidence.items()}


@pytest.fixture
def quote(trump, zelenskyy):
    return factories.make_statement(speaker=trump, text="main impediment", kind="direct_quote", about=[zelenskyy])


@pytest.fixture
def interview(trump):
    return factories.make_event(title="Trump interview with Reuters", kind="interview", participants=[trump])


@each_resource
def test_editor_writes_evidence_and_reads_it_embedded(api, editor_api, resource, quote, interview):
    fact = BUILDERS[resource]()
    url = f"/api/v1/{resource}/{fact.pk}/"
    response = editor_api.patch(
        url, {"evidence": {"statements": [str(quote.pk)], "events": [str(interview.pk)]}}, format="json"
    )
    assert response.status_code == 200, response.content
    evidence = api.get(url).json()["evidence"]
    assert evidence == {
        "statements": [
            {
                "id": str(quote.pk),
                "speaker": {"slug": "donald-trump", "name": "Donald Trump", "kind": "person"},
                "kind": "direct_quote",
                "text": "main impediment",
                "said_on": "2026-01-14",
                "date_precision": "day",
            }
        ],
        "events": [
            {
                "id": str(interview.pk),
                "title": "Trump interview with Reuters",
                "kind": "interview",
                "starts_on": "2025-08-15",
                "ends_on": None,
                "date_precision": "day",
            }
        ],
    }
    assert response.json()["evidence"] == evidence
    # A list left out of a write is kept; a list sent replaces it.
    response = editor_api.patch(url, {"evidence": {"events": []}}, format="json")
    assert ids(response.json()["evidence"]) == {"statements": [str(quote.pk)], "events": []}
    response = editor_api.patch(url, {"summary" if resource == "positions" else "title": "Changed"}, format="json")
    assert ids(response.json()["evidence"]) == {"statements": [str(quote.pk)], "events": []}


@each_resource
@pytest.mark.parametrize(
    ("evidence", "attr"),
    [
        ({"statements": ["7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"]}, "evidence.statements"),
        ({"statements": ["not-a-uuid"]}, "evidence.statements"),
        ({"statements": "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"}, "evidence.statements"),
        ({"events": [7]}, "evidence.events"),
        ({"events": ["7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"]}, "evidence.events"),
        (["7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"], "evidence"),
        (None, "evidence"),
    ],
)
def test_bad_evidence_is_a_400_naming_it_and_writes_nothing(editor_api, resource, evidence, attr):
    fact = BUILDERS[resource]()
    response = editor_api.patch(f"/api/v1/{resource}/{fact.pk}/", {"evidence": evidence}, format="json")
    assert attr in error_attrs(response)
    fact.refresh_from_db()
    assert fact.version == 1


@each_resource
def test_evidence_lists_are_bounded(editor_api, resource):
    fact = BUILDERS[resource]()
    statement = factories.make_statement()
    too_many = [str(statement.pk)] * (MAX_LINKS + 1)
    response = editor_api.patch(f"/api/v1/{resource}/{fact.pk}/", {"evidence": {"statements": too_many}}, format="json")
    assert error_attrs(response) == ["evidence.statements"]


@each_resource
def test_evidence_is_versioned_with_the_fact(api, editor_api, resource, quote, interview):
    fact = BUILDERS[resource](evidence_statements=[quote])
    url = f"/api/v1/{resource}/{fact.pk}/"
    before = moment()
    editor_api.patch(url, {"evidence": {"statements": [], "events": [str(interview.pk)]}}, format="json")
    # Each version's historical link tables hold the links it had, and its data shows them.
    first, second = fact.history.order_by("version")
    statements = type(fact)._meta.get_field("evidence_statements")
    events = type(fact)._meta.get_field("evidence_events")
    assert (m2m_ids(first, statements), m2m_ids(first, events)) == ([quote.pk], [])
    assert (m2m_ids(second, statements), m2m_ids(second, events)) == ([], [interview.pk])
    assert second.changed_fields == ["evidence"]
    # as_of: the item and the filters read the links as they then were.
    assert ids(api.get(url, {"as_of": before}).json()["evidence"]) == {"statements": [str(quote.pk)], "events": []}
    listed = api.get(f"/api/v1/{resource}/", {"as_of": before, "evidence_statement": str(quote.pk)}).json()
    assert [row["id"] for row in listed["results"]] == [str(fact.pk)]
    listed = api.get(f"/api/v1/{resource}/", {"as_of": before, "evidence_event": str(interview.pk)}).json()
    assert listed["results"] == []
    listed = api.get(f"/api/v1/{resource}/", {"evidence_event": str(interview.pk)}).json()
    assert [row["id"] for row in listed["results"]] == [str(fact.pk)]
    # Revert restores the links of version 1.
    response = editor_api.post(f"{url}history/1/revert/")
    assert response.status_code == 200, response.content
    assert ids(response.json()["evidence"]) == {"statements": [str(quote.pk)], "events": []}
    assert list(fact.evidence_statements.all()) == [quote]


@each_resource
def test_the_evidence_filter_lists_each_fact_once(api, resource, quote):
    other = factories.make_statement()
    fact = BUILDERS[resource](evidence_statements=[quote, other])
    BUILDERS[resource]()  # cites nothing
    body = api.get(f"/api/v1/{resource}/", {"evidence_statement": [str(quote.pk), str(other.pk)]}).json()
    assert [row["id"] for row in body["results"]] == [str(fact.pk)]


@each_resource
def test_deleting_a_cited_statement_drops_the_link_in_a_new_version(api, editor_api, editor, resource, quote):
    """Evidence does not protect what it cites (unlike an actor or topic): the citing fact gets a version
    without the link, as a statement gets one with ``event`` null when its event is deleted."""
    kept = factories.make_statement()
    fact = BUILDERS[resource](evidence_statements=[quote, kept])
    response = editor_api.delete(f"/api/v1/statements/{quote.pk}/")
    assert response.status_code == 204, response.content
    fact.refresh_from_db()
    assert fact.version == 2
    assert list(fact.evidence_statements.all()) == [kept]
    latest = fact.history.get(version=2)
    assert (latest.change, latest.changed_fields, latest.history_user) == ("changed", ["evidence"], editor)
    assert ids(latest.data["evidence"])["statements"] == [str(kept.pk)]
    # Version 1 still names the deleted statement; reverting to it cannot hold, so it is a 409.
    assert_problem(editor_api.post(f"/api/v1/{resource}/{fact.pk}/history/1/revert/"), 409)


def test_deleting_a_cited_event_drops_the_link(interview):
    position = factories.make_position(evidence_events=[interview])
    deadline = factories.make_deadline(evidence_events=[interview])
    services.delete(interview)
    for fact in (position, deadline):
        fact.refresh_from_db()
        assert (fact.version, list(fact.evidence_events.all())) == (2, [])


@pytest.mark.parametrize("model", [Position, Deadline])
def test_admin_edits_evidence_with_autocomplete(admin_client, model, quote):
    fact = factories.make_position() if model is Position else factories.make_deadline()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[fact.pk])
    form = admin_client.get(url).context["adminform"].form
    for name in ("evidence_statements", "evidence_events"):
        assert type(form.fields[name].widget).__name__ == "RelatedFieldWidgetWrapper"
        assert type(form.fields[name].widget.widget).__name__ == "AutocompleteSelectMultiple"
    # The statement autocomplete finds the quote by its text.
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "impediment",
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": "evidence_statements",
        },
    )
    assert [item["id"] for item in response.json()["results"]] == [str(quote.pk)]
    assert Statement.objects.count() == 1


def test_admin_saves_evidence_as_one_version(editor_client, editor, quote, interview):
    position = factories.make_position(summary="Wants talks.")
    citation = position.citations.get()
    url = reverse("admin:positions_position_change", args=[position.pk])
    data = {
        "actor": position.actor_id,
        "topic": position.topic_id,
        "stance": position.stance,
        "summary": position.summary,
        "valid_from": "",
        "valid_to": "",
        "date_precision": position.date_precision,
        "certainty": position.certainty,
        "evidence_statements": [str(quote.pk)],
        "evidence_events": [str(interview.pk)],
        "loaded_version": position.version,
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-MIN_NUM_FORMS": "1",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-id": citation.pk,
        "citations-0-position": position.pk,
        "citations-0-source": citation.source_id,
        "citations-0-excerpt": "",
        "citations-0-locator": "",
        "citations-0-note": "",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    position.refresh_from_db()
    assert (list(position.evidence_statements.all()), list(position.evidence_events.all())) == ([quote], [interview])
    latest = position.history.get(version=2)
    assert (latest.changed_fields, latest.history_user) == (["evidence"], editor)
