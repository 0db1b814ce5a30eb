"""/api/v1/deadlines/: what only deadlines do. The shared behaviour is in tests/test_resources.py."""

import datetime

import pytest

from apps.actors.models import Actor
from apps.deadlines.models import Deadline
from tests import factories
from tests.resources import EVIDENCE_EVENT_ID, EVIDENCE_STATEMENT_ID, sample_deadline

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines/"


@pytest.fixture
def new_start_expiry():
    """New START expires on 5 February 2026, for the United States and Russia: the deadline the shared tests use."""
    return sample_deadline()


@pytest.fixture
def ultimatum(new_start_expiry):
    return factories.make_deadline(
        title="Ultimatum to Moscow",
        kind="ultimatum",
        description="Agree a ceasefire or face secondary tariffs.",
        due_on=datetime.date(2025, 8, 8),
        status="lapsed",
        outcome="Passed without new tariffs; a summit was called instead.",
        certainty="reported",
        actors=[Actor.objects.get(slug="russia")],
    )


def test_retrieve_full_shape(api, new_start_expiry):
    source = new_start_expiry.citations.get().source
    statement = new_start_expiry.evidence_statements.get()
    body = api.get(f"{URL}{new_start_expiry.pk}/").json()
    assert body == {
        "id": str(new_start_expiry.pk),
        "title": "New START expires",
        "kind": "treaty_expiry",
        "description": "The last US–Russia treaty capping strategic warheads runs out.",
        "due_on": "2026-02-05",
        "date_precision": "day",
        "status": "upcoming",
        "overdue": True,
        "outcome": "",
        "certainty": "confirmed",
        "actors": [
            {"slug": "russia", "name": "Russia", "kind": "state"},
            {"slug": "united-states", "name": "United States", "kind": "state"},
        ],
        "topics": [{"slug": "arms-control", "name": "Arms control"}],
        "evidence": {
            "statements": [
                {
                    "id": EVIDENCE_STATEMENT_ID,
                    "speaker": {"slug": statement.speaker.slug, "name": statement.speaker.name, "kind": "person"},
                    "kind": "paraphrase",
                    "text": "We want it all",
                    "said_on": "2026-01-14",
                    "date_precision": "day",
                }
            ],
            "events": [
                {
                    "id": EVIDENCE_EVENT_ID,
                    "title": "The summit",
                    "kind": "meeting",
                    "starts_on": "2025-08-15",
                    "ends_on": None,
                    "date_precision": "day",
                }
            ],
        },
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "expires on 5 February 2026",
                "locator": "",
                "note": "",
            }
        ],
        "version": 1,
        "created_at": new_start_expiry.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": new_start_expiry.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_list_is_soonest_first(api, new_start_expiry, ultimatum):
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(ultimatum.pk), str(new_start_expiry.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "russia"}, {"new_start", "ultimatum"}),
        ({"status": "lapsed"}, {"ultimatum"}),
        ({"date_from": "2025-08-08", "date_to": "2026-02-05"}, {"new_start", "ultimatum"}),
        ({"date_from": "2025-08-09", "date_to": "2026-02-04"}, set()),
        ({"q": "new start"}, {"new_start"}),
        ({"q": "tariffs summit"}, {"ultimatum"}),  # outcome, every word
        ({"q": "moscow ceasefire summit"}, {"ultimatum"}),  # words found in different fields
        ({"q": "warheads tariffs"}, set()),
    ],
)
def test_filters(api, new_start_expiry, ultimatum, params, expected):
    names = {str(new_start_expiry.pk): "new_start", str(ultimatum.pk): "ultimatum"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_deadline_of_two_requested_actors_is_listed_once(api, new_start_expiry):
    body = api.get(f"{URL}?actor=united-states&actor=russia").json()
    assert [row["id"] for row in body["results"]] == [str(new_start_expiry.pk)]


def test_ordering_by_due_date(api, new_start_expiry, ultimatum):
    soonest_first = [str(ultimatum.pk), str(new_start_expiry.pk)]
    assert [r["id"] for r in api.get(URL, {"ordering": "due_on"}).json()["results"]] == soonest_first
    assert [r["id"] for r in api.get(URL, {"ordering": "-due_on"}).json()["results"]] == soonest_first[::-1]


# -- writes -------------------------------------------------------------------------


def test_minimal_create_uses_defaults(editor_api, source):
    sent = {
        "title": "Budget vote",
        "kind": "vote",
        "due_on": "2026-03-01",
        "certainty": "reported",
        "citations": [{"source": str(source.pk)}],
    }
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "upcoming"
    assert body["date_precision"] == "day"
    assert (body["description"], body["outcome"]) == ("", "")
    assert (body["actors"], body["topics"]) == ([], [])
    assert body["citations"] == [
        {
            "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
            "excerpt": "",
            "locator": "",
            "note": "",
        }
    ]


def test_month_and_year_precision_dates_are_accepted_on_the_first(editor_api, source):
    base = {"title": "Vote", "kind": "vote", "certainty": "reported", "citations": [{"source": str(source.pk)}]}
    response = editor_api.post(URL, base | {"due_on": "2026-09-01", "date_precision": "month"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["date_precision"] == "month"
    response = editor_api.post(URL, base | {"due_on": "2027-01-01", "date_precision": "year"}, format="json")
    assert response.status_code == 201, response.content
    assert Deadline.objects.count() == 2
