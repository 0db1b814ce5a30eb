"""/api/v1/positions/: read shape, filters over valid time, writes with citations, errors, query budget."""

import datetime

import pytest

from apps.positions.models import Position
from tests import factories
from tests.helpers import count_queries, walk

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


def payload(source, **overrides):
    body = {
        "actor": "vladimir-putin",
        "topic": "ukraine-peace-talks",
        "stance": "rejects",
        "summary": "No European troops in Ukraine after a ceasefire.",
        "valid_from": "2025-03-01",
        "valid_to": None,
        "date_precision": "day",
        "certainty": "confirmed",
        "citations": [{"source": str(source.pk), "excerpt": "categorically rejects", "locator": "para 2"}],
    }
    return body | overrides


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
    assert body["next"] is None
    assert body["previous"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "vladimir-putin"}, {"demand"}),
        ({"actor": "donald-trump"}, {"offer"}),
        ({"actor": "nobody-in-particular"}, set()),
        ({"topic": "ukraine-peace-talks"}, {"demand"}),
        ({"topic": "sanctions-on-russia"}, {"offer"}),
        ({"topic": "other-topic"}, set()),
        ({"stance": "demands"}, {"demand"}),
        ({"stance": "offers"}, {"offer"}),
        ({"stance": "rejects"}, set()),
        ({"certainty": "reported"}, {"offer"}),
        ({"certainty": "disputed"}, set()),
        ({"current": "true"}, {"demand"}),
        ({"current": "false"}, {"offer"}),
        ({"valid_at": "2025-02-14"}, {"offer"}),
        ({"valid_at": "2025-05-01"}, set()),
        ({"valid_at": "2026-01-14"}, {"demand"}),
        ({"q": "donetsk"}, {"demand"}),
        ({"q": "TRUMP ceasefire"}, {"offer"}),  # actor name and summary
        ({"q": "peace"}, {"demand"}),  # topic name
        ({"q": "russia"}, {"offer"}),
        ({"q": "donetsk trump"}, set()),
    ],
)
def test_filters(api, demand, offer, params, expected):
    factories.make_actor(slug="nobody-in-particular")
    factories.make_topic(slug="other-topic")
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


def test_repeated_parameter_matches_any(api, demand, offer):
    body = api.get(f"{URL}?actor=vladimir-putin&actor=donald-trump").json()
    assert {row["id"] for row in body["results"]} == {str(demand.pk), str(offer.pk)}
    body = api.get(f"{URL}?stance=demands&stance=offers").json()
    assert {row["id"] for row in body["results"]} == {str(demand.pk), str(offer.pk)}
    body = api.get(f"{URL}?topic=sanctions-on-russia&topic=ukraine-peace-talks").json()
    assert len(body["results"]) == 2


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("valid_from", ["offer", "demand"]),
        ("-valid_from", ["demand", "offer"]),
        # A missing end comes last in both directions.
        ("valid_to", ["offer", "demand"]),
        ("-valid_to", ["offer", "demand"]),
        ("created_at", ["demand", "offer"]),
        ("-created_at", ["offer", "demand"]),
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


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"actor": "nobody"}, "actor"),
        ({"topic": "nothing"}, "topic"),
        ({"stance": "likes"}, "stance"),
        ({"certainty": "sure"}, "certainty"),
        ({"date_from": "14/01/2026"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"valid_at": "today"}, "valid_at"),
        ({"current": "maybe"}, "current"),
        ({"current": "yes"}, "current"),
        ({"ordering": "summary"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


# -- writes -------------------------------------------------------------------------


@pytest.fixture
def write_targets(putin, peace_talks):
    pass


def test_editor_creates_a_position_with_citations(editor_api, editor, source, write_targets):
    response = editor_api.post(URL, payload(source), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    position = Position.objects.get(pk=body["id"])
    assert body["actor"] == {"slug": "vladimir-putin", "name": "Vladimir Putin", "kind": "person"}
    assert body["topic"] == {"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"}
    assert body["citations"] == [
        {
            "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
            "excerpt": "categorically rejects",
            "locator": "para 2",
            "note": "",
        }
    ]
    assert (position.stance, position.valid_from, position.valid_to) == ("rejects", datetime.date(2025, 3, 1), None)
    assert position.citations.get().source == source
    # One version for the write, naming the editor, holding the citations.
    record = position.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert record.data["citations"] == body["citations"]


def test_server_owned_fields_are_ignored(editor_api, source, write_targets):
    sent = payload(source, id="00000000-0000-0000-0000-000000000000", created_at="2000-01-01T00:00:00Z")
    body = editor_api.post(URL, sent, format="json").json()
    assert body["id"] != sent["id"]
    assert not body["created_at"].startswith("2000")


def test_replace_and_partial_update(editor_api, editor, demand, sanctions):
    other = factories.make_source(title="Reuters")
    url = f"{URL}{demand.pk}/"
    versions = demand.history.count()
    replaced = payload(other, topic="sanctions-on-russia", valid_from="2025-07-01", certainty="disputed")
    response = editor_api.put(url, replaced, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["topic"]["slug"] == "sanctions-on-russia"
    assert body["date_precision"] == "day"
    assert [c["source"]["title"] for c in body["citations"]] == ["Reuters"]  # the old citation is gone
    response = editor_api.patch(url, {"valid_to": "2025-12-31"}, format="json")
    assert response.status_code == 200, response.content
    demand.refresh_from_db()
    assert (demand.stance, demand.certainty, demand.valid_to) == ("rejects", "disputed", datetime.date(2025, 12, 31))
    assert demand.citations.get().source == other  # PATCH without citations keeps them
    assert demand.history.count() == versions + 2  # one record per write
    assert demand.history.latest().history_user == editor


def test_patch_with_citations_replaces_them(editor_api, demand, source):
    other = factories.make_source(title="Reuters")
    citations = [{"source": str(other.pk), "locator": "para 1"}, {"source": str(source.pk), "note": "confirms"}]
    response = editor_api.patch(f"{URL}{demand.pk}/", {"citations": citations}, format="json")
    assert response.status_code == 200, response.content
    assert sorted((c.source.title, c.locator, c.note) for c in demand.citations.all()) == [
        ("Reuters", "para 1", ""),
        ("The explainer", "", "confirms"),
    ]
    assert demand.summary == Position.objects.get(pk=demand.pk).summary


def test_delete(editor_api, demand):
    assert editor_api.delete(f"{URL}{demand.pk}/").status_code == 204
    assert not Position.objects.filter(pk=demand.pk).exists()
    assert not demand.citations.exists()
    assert demand.history.latest().history_type == "-"


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, demand, source):
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, payload(source), format="json").status_code == status
        assert client.put(f"{URL}{demand.pk}/", payload(source), format="json").status_code == status
        assert client.patch(f"{URL}{demand.pk}/", {"stance": "offers"}, format="json").status_code == status
        assert client.delete(f"{URL}{demand.pk}/").status_code == status
    demand.refresh_from_db()
    assert demand.stance == "demands"
    assert Position.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"citations": []}, ["citations"]),
        ({"citations": None}, ["citations"]),
        ({"citations": [{"source": "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"}]}, ["citations.0.source"]),
        ({"citations": [{"source": "not-a-uuid"}]}, ["citations.0.source"]),
        ({"citations": [{"locator": "no source"}]}, ["citations.0.source"]),
        ({"actor": "nobody"}, ["actor"]),
        ({"actor": None}, ["actor"]),
        ({"topic": "nothing"}, ["topic"]),
        ({"stance": "likes"}, ["stance"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"summary": ""}, ["summary"]),
        ({"valid_from": "2025-03-01", "valid_to": "2025-02-28"}, ["valid_to"]),
        ({"valid_from": "2025-03-14", "date_precision": "month"}, ["valid_from"]),
        ({"valid_from": "2025-03-01", "valid_to": "2025-04-30", "date_precision": "month"}, ["valid_to"]),
        ({"valid_from": "2025-03-01", "date_precision": "year"}, ["valid_from"]),
        ({"valid_from": "March 2025"}, ["valid_from"]),
        ({"date_precision": "week"}, ["date_precision"]),
    ],
)
def test_invalid_writes_are_400_naming_the_field_and_write_nothing(editor_api, source, write_targets, overrides, attrs):
    body = payload(source) | overrides
    if body.get("citations") is None:
        body.pop("citations")
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert Position.objects.count() == 0


def test_patch_is_checked_against_the_stored_dates(editor_api, demand):
    url = f"{URL}{demand.pk}/"
    response = editor_api.patch(url, {"valid_to": "2025-05-31"}, format="json")  # before valid_from 2025-06-01
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["valid_to"]
    response = editor_api.patch(url, {"valid_from": "2025-06-15"}, format="json")  # month precision stored
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["valid_from"]
    response = editor_api.patch(url, {"citations": []}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["citations"]
    demand.refresh_from_db()
    assert (demand.valid_from, demand.valid_to) == (datetime.date(2025, 6, 1), None)
    assert demand.citations.count() == 1


# -- performance ------------------------------------------------------------------


def make_positions(n):
    actor, topic = factories.make_actor(), factories.make_topic()
    for i in range(n):
        position = factories.make_position(actor=actor, topic=topic, valid_from=datetime.date(2025, 1, 1 + i % 28))
        position.citations.create(source=factories.make_source())  # a second citation each


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of positions (actor and topic joined) + 1 prefetch of citations (sources joined) = 2.
    make_positions(1)
    one, _ = count_queries(api, URL)
    make_positions(59)
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert all(len(row["citations"]) == 2 for row in body["results"])
    assert one == full == 2
    # Each slug filter adds one query: validating the slug.
    row = body["results"][0]
    filtered, _ = count_queries(api, URL, page_size=50, actor=row["actor"]["slug"], topic=row["topic"]["slug"])
    assert filtered == 4


def test_detail_query_budget(api, demand):
    # position + actor + topic, citations with sources.
    queries, _ = count_queries(api, f"{URL}{demand.pk}/")
    assert queries == 2
