"""Every write says what kind of change it is: new, update, correction or retraction (issue 23)."""

import pytest

from apps.core.models import Change
from apps.core.record import services
from apps.deadlines.models import Deadline
from apps.statements.models import Statement
from tests import factories
from tests.helpers import assert_problem

pytestmark = pytest.mark.django_db


def reasons(resource: str) -> list:
    return list(Change.objects.filter(resource=resource).order_by("id").values_list("reason", flat=True))


def test_the_default_rule(source):
    deadline = factories.make_deadline(title="Expiry of New START")
    deadline = services.update(deadline, data={"status": "extended"})  # the world changed
    deadline = services.update(deadline, data={"title": "Expiry of the New START treaty"})  # our wording
    deadline = services.update(deadline, data={"due_on": deadline.due_on.replace(day=5), "title": "New START"})
    services.revert(Deadline, deadline.pk, version=3)
    services.delete(Deadline.objects.get(pk=deadline.pk))
    assert reasons("deadlines") == ["new", "update", "correction", "update", "correction", "retraction"]
    statement = factories.make_statement(text="One nation")
    services.update(statement, data={"text": "One nation, one people"})
    assert reasons("statements") == ["new", "correction"]


def test_the_writer_says_why_in_the_change_reason_header(editor_api):
    statement = factories.make_statement()
    url = f"/api/v1/statements/{statement.pk}/"
    response = editor_api.patch(url, {"medium": "a rally"}, format="json", HTTP_CHANGE_REASON="update")
    assert response.status_code == 200
    response = editor_api.delete(url, HTTP_CHANGE_REASON="Correction")  # a duplicate, say: case-insensitive
    assert response.status_code == 204
    revert = editor_api.post(f"{url}history/2/revert/", HTTP_CHANGE_REASON="correction")
    assert revert.status_code == 200
    assert reasons("statements") == ["new", "update", "correction", "correction"]
    history = editor_api.get(f"{url}history/").json()["results"]
    assert [(v["change"], v["reason"]) for v in history] == [
        ("reverted", "correction"),
        ("deleted", "correction"),
        ("changed", "update"),
        ("created", "new"),
    ]
    assert {"op": "replace", "path": "/medium", "value": "a rally"} in history[2]["patch"]


def test_a_bad_reason_is_a_400_and_writes_nothing(editor_api, putin, source):
    statement = factories.make_statement()
    url = f"/api/v1/statements/{statement.pk}/"
    bad = editor_api.patch(url, {"medium": "x"}, format="json", HTTP_CHANGE_REASON="whim")
    assert_problem(bad, 400)
    assert [e["attr"] for e in bad.json()["errors"]] == ["Change-Reason"]
    new = editor_api.patch(url, {"medium": "x"}, format="json", HTTP_CHANGE_REASON="new")
    assert_problem(new, 400)
    assert [e["attr"] for e in new.json()["errors"]] == ["reason"]
    body = {
        "speaker": "vladimir-putin",
        "text": "A quote",
        "kind": "direct_quote",
        "said_on": "2026-01-14",
        "certainty": "confirmed",
        "citations": [{"source": str(source.pk)}],
    }
    created = editor_api.post("/api/v1/statements/", body, format="json", HTTP_CHANGE_REASON="correction")
    assert_problem(created, 400)
    assert Statement.objects.count() == 1
    assert Statement.objects.get().version == 1


def test_the_changes_feed_says_why_and_filters_by_it(api):
    deadline = factories.make_deadline()
    deadline = services.update(deadline, data={"status": "missed"})
    services.update(deadline, data={"title": "Corrected title"}, reason="correction")
    entries = api.get("/api/v1/changes/", {"resource": "deadlines"}).json()["results"]
    assert [(e["change"], e["reason"]) for e in entries] == [
        ("created", "new"),
        ("changed", "update"),
        ("changed", "correction"),
    ]
    # The patch: the status, and what changes with every version (version, updated_at, overdue).
    assert {op["path"] for op in entries[1]["patch"]} <= {"/status", "/version", "/updated_at", "/overdue"}
    assert {"op": "replace", "path": "/status", "value": "missed"} in entries[1]["patch"]
    corrections = api.get("/api/v1/changes/", {"reason": "correction"}).json()["results"]
    assert [(e["resource"], e["version"]) for e in corrections] == [("deadlines", 3)]
    assert api.get("/api/v1/changes/", {"reason": "new", "change": "changed"}).json()["results"] == []
    assert_problem(api.get("/api/v1/changes/", {"reason": "whim"}), 400)


def test_the_admin_asks_why(editor_client):
    deadline = factories.make_deadline()
    page = editor_client.get(f"/admin/deadlines/deadline/{deadline.pk}/change/").content.decode()
    assert 'name="change_reason"' in page
    history = editor_client.get(f"/admin/deadlines/deadline/{deadline.pk}/history/").content.decode()
    assert "Created: New" in history


@pytest.mark.parametrize("value", ["AAA", ""])
def test_a_malformed_change_reason_is_a_400_before_the_item_is_looked_up(editor_api, value):
    """Even on a deleted item (which would be a 410): the header is checked first (schemathesis)."""
    statement = factories.make_statement()
    services.delete(statement)
    response = editor_api.delete(f"/api/v1/statements/{statement.pk}/", HTTP_CHANGE_REASON=value)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "Change-Reason"
