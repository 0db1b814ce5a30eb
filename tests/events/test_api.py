"""/api/v1/events/: what only events do. The shared behaviour is in tests/test_resources.py."""

import datetime

import pytest

from apps.events.models import Event
from tests import factories
from tests.helpers import error_attrs
from tests.resources import sample_event

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


@pytest.fixture
def maduro():
    return factories.make_actor(slug="nicolas-maduro", name="Nicolás Maduro", kind="person")


@pytest.fixture
def summit():
    """The Alaska summit, 15–16 August 2025: the event the shared tests use."""
    return sample_event()


@pytest.fixture
def capture(maduro):
    return factories.make_event(
        title="Capture of Nicolás Maduro",
        kind="arrest",
        description="US forces seized Maduro in Caracas.",
        starts_on=datetime.date(2026, 1, 1),
        date_precision="month",
        certainty="reported",
        participants=[maduro],
    )


def test_retrieve_full_shape(api, summit):
    source = summit.citations.get().source
    body = api.get(f"{URL}{summit.pk}/").json()
    assert body == {
        "id": str(summit.pk),
        "title": "Alaska summit",
        "kind": "summit",
        "description": "Trump and Putin met for talks on Ukraine.",
        "starts_on": "2025-08-15",
        "ends_on": "2025-08-16",
        "date_precision": "day",
        "certainty": "confirmed",
        "location": "Joint Base Elmendorf-Richardson, Anchorage",
        "participants": [
            {"slug": "donald-trump", "name": "Donald Trump", "kind": "person"},
            {"slug": "vladimir-putin", "name": "Vladimir Putin", "kind": "person"},
        ],
        "topics": [{"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"}],
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "the leaders met in Anchorage",
                "locator": "",
                "note": "",
            }
        ],
        "version": 1,
        "created_at": summit.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": summit.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_one_day_event_has_null_ends_on(api, capture):
    assert api.get(f"{URL}{capture.pk}/").json()["ends_on"] is None


def test_list_is_newest_first(api, summit, capture):
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(capture.pk), str(summit.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"participant": "nicolas-maduro"}, {"capture"}),
        ({"date_from": "2025-08-15"}, {"summit", "capture"}),
        # On starts_on, not ends_on: the summit ran to 16 August but started on the 15th.
        ({"date_from": "2025-08-16"}, {"capture"}),
        ({"date_from": "2026-01-02"}, set()),
        ({"date_from": "2025-08-15", "date_to": "2026-01-01"}, {"summit", "capture"}),
        ({"date_from": "2025-08-16", "date_to": "2025-12-31"}, set()),
        ({"q": "summit"}, {"summit"}),
        ({"q": "caracas seized"}, {"capture"}),  # description, every word
        ({"q": "alaska anchorage ukraine"}, {"summit"}),  # words found in different fields
        ({"q": "summit caracas"}, set()),
    ],
)
def test_filters(api, summit, capture, params, expected):
    names = {str(summit.pk): "summit", str(capture.pk): "capture"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_event_with_two_requested_participants_is_listed_once(api, summit):
    summit.topics.add(factories.make_topic(slug="us-russia-relations"))
    body = api.get(f"{URL}?participant=donald-trump&participant=vladimir-putin").json()
    assert [row["id"] for row in body["results"]] == [str(summit.pk)]
    body = api.get(f"{URL}?topic=ukraine-peace-talks&topic=us-russia-relations").json()
    assert [row["id"] for row in body["results"]] == [str(summit.pk)]


def test_ordering_by_start(api, summit, capture):
    assert [r["id"] for r in api.get(URL, {"ordering": "starts_on"}).json()["results"]] == [
        str(summit.pk),
        str(capture.pk),
    ]
    assert [r["id"] for r in api.get(URL, {"ordering": "-starts_on"}).json()["results"]] == [
        str(capture.pk),
        str(summit.pk),
    ]


# -- writes -------------------------------------------------------------------------


def test_minimal_create_uses_defaults(editor_api, source):
    sent = {
        "title": "Vote",
        "kind": "legislation",
        "starts_on": "2025-12-01",
        "certainty": "reported",
        "citations": [{"source": str(source.pk)}],
    }
    response = editor_api.post(URL, sent, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ends_on"] is None
    assert body["date_precision"] == "day"
    assert (body["description"], body["location"]) == ("", "")
    assert (body["participants"], body["topics"]) == ([], [])
    assert body["citations"] == [
        {
            "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
            "excerpt": "",
            "locator": "",
            "note": "",
        }
    ]


def test_month_and_year_precision_dates_are_accepted_on_the_first(editor_api, source):
    citations = [{"source": str(source.pk)}]
    base = {"title": "Talks", "kind": "negotiation", "certainty": "confirmed", "citations": citations}
    sent = base | {"starts_on": "2025-08-01", "ends_on": "2025-09-01", "date_precision": "month"}
    assert editor_api.post(URL, sent, format="json").status_code == 201
    sent = base | {"starts_on": "2025-01-01", "date_precision": "year"}
    assert editor_api.post(URL, sent, format="json").status_code == 201
    assert Event.objects.count() == 2


def test_replace_can_clear_the_end_and_every_link(editor_api, summit, source):
    sent = {
        "title": "Alaska summit",
        "kind": "summit",
        "starts_on": "2025-08-15",
        "ends_on": None,
        "certainty": "confirmed",
        "participants": [],
        "topics": [],
        "citations": [{"source": str(source.pk)}],
    }
    response = editor_api.put(f"{URL}{summit.pk}/", sent, format="json")
    assert response.status_code == 200, response.content
    summit.refresh_from_db()
    assert (summit.ends_on, summit.participants.count(), summit.topics.count()) == (None, 0, 0)


def test_deleting_an_event_keeps_its_statements(editor_api, summit):
    statement = factories.make_statement(event=summit)
    assert editor_api.delete(f"{URL}{summit.pk}/").status_code == 204
    statement.refresh_from_db()
    assert statement.event is None


def test_patch_cannot_end_before_the_stored_start(editor_api, summit):
    assert error_attrs(editor_api.patch(f"{URL}{summit.pk}/", {"ends_on": "2025-08-14"}, format="json")) == ["ends_on"]
    assert error_attrs(editor_api.patch(f"{URL}{summit.pk}/", {"starts_on": "2025-08-17"}, format="json")) == [
        "ends_on"
    ]
    summit.refresh_from_db()
    assert (summit.starts_on, summit.ends_on) == (datetime.date(2025, 8, 15), datetime.date(2025, 8, 16))
