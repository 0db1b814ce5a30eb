"""/api/v1/positions/: what only positions do (spans of valid time). Shared behaviour: tests/test_resources.py."""

import datetime

import pytest

from tests import factories
from tests.helpers import error_attrs, walk

pytestmark = pytest.mark.django_db

URL = "/api/v1/positions/"


@pytest.fixture
def sanctions():
    return factories.make_topic(slug="sanctions-on-russia", name="Sanctions on Russia")


@pytest.fixture
def demand(putin, peace_talks, source):
    """Held since June 2025, still held."""
    position = factories.make_position(
        actor=putin,
        topic=peace_talks,
        stance="demands",
        summary="Ukraine withdraws from the rest of Donetsk oblast.",
        valid_from=datetime.date(2025, 6, 1),
        date_precision="month",
        certainty="confirmed",
        citations=[{"source": source, "excerpt": "demands the whole of Donetsk", "locator": "para 4"}],
    )
    return position


@pytest.fixture
def offer(trump, sanctions):
    """Held from 1 January to 31 March 2025, then dropped."""
    return factories.make_position(
        actor=trump,
        topic=sanctions,
        stance="offers",
        summary="Relief from sanctions in exchange for a ceasefire.",
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 3, 31),
        certainty="reported",
    )


def test_retrieve_full_shape(api, demand, source):
    body = api.get(f"{URL}{demand.pk}/").json()
    assert body == {
        "id": str(demand.pk),
        "actor": {"slug": "vladimir-putin", "name": "Vladimir Putin", "kind": "person"},
        "topic": {"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"},
        "stance": "demands",
        "summary": "Ukraine withdraws from the rest of Donetsk oblast.",
        "valid_from": "2025-06-01",
        "valid_to": None,
        "date_precision": "month",
        "certainty": "confirmed",
        "evidence": {"statements": [], "events": []},
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "demands the whole of Donetsk",
                "locator": "para 4",
                "note": "",
            }
        ],
        "version": 1,
        "created_at": demand.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": demand.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_list_is_latest_start_first_with_unknown_starts_last(api, demand, offer):
    undated = factories.make_position(valid_from=None)
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(demand.pk), str(offer.pk), str(undated.pk)]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "donald-trump"}, {"offer"}),
        ({"topic": "sanctions-on-russia"}, {"offer"}),
        ({"current": "true"}, {"demand"}),
        ({"current": "false"}, {"offer"}),
        ({"valid_at": "2025-02-14"}, {"offer"}),
        ({"valid_at": "2025-05-01"}, set()),
        ({"valid_at": "2026-01-14"}, {"demand"}),
        ({"q": "TRUMP ceasefire"}, {"offer"}),  # actor name and summary
        ({"q": "peace"}, {"demand"}),  # topic name
        ({"q": "russia"}, {"offer"}),
        ({"q": "donetsk trump"}, set()),
    ],
)
def test_filters(api, demand, offer, params, expected):
    names = {str(demand.pk): "demand", str(offer.pk): "offer"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


@pytest.fixture
def spans():
    """Four spans around a gap in April–May 2025; a missing end is open."""

    def make(valid_from, valid_to):
        return str(factories.make_position(valid_from=valid_from, valid_to=valid_to).pk)

    return {
        make(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)): "closed",
        make(datetime.date(2025, 6, 1), None): "open_end",
        make(None, datetime.date(2024, 12, 31)): "open_start",
        make(None, None): "open",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # date_from keeps spans ending on or after it; a missing end never ends.
        ({"date_from": "2025-03-31"}, {"closed", "open_end", "open"}),
        ({"date_from": "2025-04-01"}, {"open_end", "open"}),
        # date_to keeps spans starting on or before it; a missing start is open.
        ({"date_to": "2025-06-01"}, {"closed", "open_end", "open_start", "open"}),
        ({"date_to": "2025-05-31"}, {"closed", "open_start", "open"}),
        ({"date_to": "2024-12-31"}, {"open_start", "open"}),
        # Both: the span overlaps the range.
        ({"date_from": "2025-04-01", "date_to": "2025-05-31"}, {"open"}),
        ({"date_from": "2024-12-31", "date_to": "2025-01-01"}, {"closed", "open_start", "open"}),
        ({"date_from": "2025-03-31", "date_to": "2025-06-01"}, {"closed", "open_end", "open"}),
        # valid_at: held on that day, both ends inclusive.
        ({"valid_at": "2025-01-01"}, {"closed", "open"}),
        ({"valid_at": "2025-03-31"}, {"closed", "open"}),
        ({"valid_at": "2025-04-01"}, {"open"}),
        ({"valid_at": "2025-06-01"}, {"open_end", "open"}),
        ({"valid_at": "2024-12-31"}, {"open_start", "open"}),
        ({"current": "true"}, {"open_end", "open"}),
        ({"current": "false"}, {"closed", "open_start"}),
    ],
)
def test_date_filters_select_overlapping_spans(api, spans, params, expected):
    assert {spans[row["id"]] for row in walk(api, URL, **params)} == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("valid_from", ["offer", "demand"]),
        ("-valid_from", ["demand", "offer"]),
        # A missing end comes last in both directions.
        ("valid_to", ["offer", "demand"]),
        ("-valid_to", ["offer", "demand"]),
    ],
)
def test_ordering(api, demand, offer, ordering, expected):
    names = {str(demand.pk): "demand", str(offer.pk): "offer"}
    assert [names[r["id"]] for r in api.get(URL, {"ordering": ordering}).json()["results"]] == expected


def test_walking_pages_visits_every_position_once_despite_open_ends(api):
    made = [
        str(factories.make_position(valid_from=None if i % 3 else datetime.date(2025, 1, 1), valid_to=end).pk)
        for i, end in enumerate([None, datetime.date(2025, 5, 1), None, datetime.date(2025, 5, 1), None, None, None])
    ]
    for ordering in [None, "valid_to", "-valid_to", "valid_from"]:
        params = {"page_size": 2} | ({"ordering": ordering} if ordering else {})
        rows = walk(api, URL, **params)
        assert sorted(row["id"] for row in rows) == sorted(made), ordering
        assert len(rows) == 7
        if ordering in ("valid_to", "-valid_to"):
            assert [row["valid_to"] for row in rows] == ["2025-05-01"] * 2 + [None] * 5


# -- writes -------------------------------------------------------------------------


def test_patch_is_checked_against_the_stored_precision(editor_api, demand):
    response = editor_api.patch(f"{URL}{demand.pk}/", {"valid_from": "2025-06-15"}, format="json")
    assert error_attrs(response) == ["valid_from"]  # month precision stored: only the 1st
    demand.refresh_from_db()
    assert demand.valid_from == datetime.date(2025, 6, 1)
