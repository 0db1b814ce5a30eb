"""/api/v1/events/: read shape, filters, writes with citations, errors, query budget."""

import datetime

import pytest

from apps.events.models import Event, EventCitation
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"


@pytest.fixture
def maduro():
    return factories.make_actor(slug="nicolas-maduro", name="Nicolás Maduro", kind="person")


@pytest.fixture
def summit(trump, putin, peace_talks, source):
    event = factories.make_event(
        title="Alaska summit",
        kind="summit",
        description="Trump and Putin met for talks on Ukraine.",
        starts_on=datetime.date(2025, 8, 15),
        ends_on=datetime.date(2025, 8, 16),
        certainty="confirmed",
        location="Joint Base Elmendorf-Richardson, Anchorage",
        # Out of name order: the response lists participants by name.
        participants=[putin, trump],
        topics=[peace_talks],
        citations=[{"source": source, "excerpt": "the leaders met in Anchorage", "locator": "para 2"}],
    )
    return event


@pytest.fixture
def capture(maduro):
    event = factories.make_event(
        title="Capture of Nicolás Maduro",
        kind="arrest",
        description="US forces seized Maduro in Caracas.",
        starts_on=datetime.date(2026, 1, 1),
        date_precision="month",
        certainty="reported",
        participants=[maduro],
    )
    return event


def payload(source=None, **overrides):
    body = {
        "title": "Geneva talks",
        "kind": "negotiation",
        "description": "A round of talks on a ceasefire.",
        "starts_on": "2025-11-23",
        "ends_on": "2025-11-24",
        "date_precision": "day",
        "certainty": "confirmed",
        "location": "Geneva",
        "participants": ["donald-trump", "vladimir-putin"],
        "topics": ["ukraine-peace-talks"],
        "citations": [{"source": str(source.pk), "excerpt": "talks opened in Geneva", "locator": "para 1"}],
    }
    return body | overrides


def test_retrieve_full_shape(api, summit, source):
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
                "locator": "para 2",
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
    assert body["next"] is None
    assert body["previous"] is None


def test_list_rows_have_the_detail_shape(api, summit):
    assert api.get(URL).json()["results"] == [api.get(f"{URL}{summit.pk}/").json()]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"participant": "donald-trump"}, {"summit"}),
        ({"participant": "nicolas-maduro"}, {"capture"}),
        ({"participant": "bystander"}, set()),
        ({"topic": "ukraine-peace-talks"}, {"summit"}),
        ({"topic": "other-topic"}, set()),
        ({"kind": "summit"}, {"summit"}),
        ({"kind": "arrest"}, {"capture"}),
        ({"kind": "election"}, set()),
        ({"certainty": "confirmed"}, {"summit"}),
        ({"certainty": "reported"}, {"capture"}),
        ({"certainty": "disputed"}, set()),
        ({"date_from": "2025-08-15"}, {"summit", "capture"}),
        # On starts_on, not ends_on: the summit ran to 16 August but started on the 15th.
        ({"date_from": "2025-08-16"}, {"capture"}),
        ({"date_from": "2026-01-02"}, set()),
        ({"date_to": "2025-08-15"}, {"summit"}),
        ({"date_to": "2025-08-14"}, set()),
        ({"date_from": "2025-08-15", "date_to": "2026-01-01"}, {"summit", "capture"}),
        ({"date_from": "2025-08-16", "date_to": "2025-12-31"}, set()),
        ({"q": "summit"}, {"summit"}),
        ({"q": "ANCHORAGE"}, {"summit"}),  # location, any case
        ({"q": "caracas seized"}, {"capture"}),  # description, every word
        ({"q": "alaska anchorage ukraine"}, {"summit"}),  # words found in different fields
        ({"q": "summit caracas"}, set()),
        ({"q": "nowhere"}, set()),
    ],
)
def test_filters(api, summit, capture, params, expected):
    factories.make_topic(slug="other-topic")
    factories.make_actor(slug="bystander")
    names = {str(summit.pk): "summit", str(capture.pk): "capture"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_repeated_parameter_matches_any(api, summit, capture):
    body = api.get(f"{URL}?participant=donald-trump&participant=nicolas-maduro").json()
    assert {row["id"] for row in body["results"]} == {str(summit.pk), str(capture.pk)}
    body = api.get(f"{URL}?kind=summit&kind=arrest").json()
    assert {row["id"] for row in body["results"]} == {str(summit.pk), str(capture.pk)}
    body = api.get(f"{URL}?certainty=confirmed&certainty=reported").json()
    assert len(body["results"]) == 2
    body = api.get(f"{URL}?kind=summit&kind=election").json()
    assert [row["id"] for row in body["results"]] == [str(summit.pk)]


def test_event_with_two_requested_participants_is_listed_once(api, summit, peace_talks):
    other_topic = factories.make_topic(slug="us-russia-relations")
    summit.topics.add(other_topic)
    body = api.get(f"{URL}?participant=donald-trump&participant=vladimir-putin").json()
    assert [row["id"] for row in body["results"]] == [str(summit.pk)]
    body = api.get(f"{URL}?topic=ukraine-peace-talks&topic=us-russia-relations").json()
    assert [row["id"] for row in body["results"]] == [str(summit.pk)]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("starts_on", ["summit", "capture"]),
        ("-starts_on", ["capture", "summit"]),
        ("created_at", ["summit", "capture"]),
        ("-created_at", ["capture", "summit"]),
        ("updated_at", ["capture", "summit"]),
        ("-updated_at", ["summit", "capture"]),
    ],
)
def test_ordering(api, summit, capture, ordering, expected):
    # The summit was recorded first but changed last (timestamps set around the write path).
    Event._base_manager.filter(pk=summit.pk).update(
        created_at=datetime.datetime(2025, 8, 16, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
    )
    Event._base_manager.filter(pk=capture.pk).update(
        created_at=datetime.datetime(2026, 1, 3, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 3, tzinfo=datetime.UTC),
    )
    ids = {"summit": str(summit.pk), "capture": str(capture.pk)}
    assert [r["id"] for r in api.get(URL, {"ordering": ordering}).json()["results"]] == [ids[n] for n in expected]


def test_same_day_events_page_in_a_stable_order(api):
    day = datetime.date(2025, 8, 15)
    events = [factories.make_event(starts_on=day) for _ in range(5)]
    first = api.get(URL, {"page_size": 2}).json()
    rest = api.get(first["next"]).json()
    last = api.get(rest["next"]).json()
    ids = [row["id"] for page in (first, rest, last) for row in page["results"]]
    assert last["next"] is None
    assert sorted(ids) == sorted(str(e.pk) for e in events)
    # Pages follow the single-page order: ties on starts_on are broken by id, descending.
    assert ids == [row["id"] for row in api.get(URL).json()["results"]] == sorted(ids, reverse=True)


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"participant": "nobody"}, "participant"),
        ({"topic": "nothing"}, "topic"),
        ({"kind": "rumour"}, "kind"),
        ({"certainty": "sure"}, "certainty"),
        ({"date_from": "15/08/2025"}, "date_from"),
        ({"date_to": "2025-13-01"}, "date_to"),
        ({"ordering": "title"}, "ordering"),
        ({"ordering": "ends_on"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


def test_one_unknown_slug_among_several_is_400(api, trump):
    response = api.get(f"{URL}?participant=donald-trump&participant=nobody")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["participant"]


# -- writes -------------------------------------------------------------------------


@pytest.fixture
def write_targets(trump, putin, peace_talks):
    pass


def test_editor_creates_an_event_with_citations(editor_api, editor, source, write_targets):
    response = editor_api.post(URL, payload(source=source), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(pk=body["id"])
    assert body["title"] == "Geneva talks"
    assert body["starts_on"] == "2025-11-23"
    assert body["ends_on"] == "2025-11-24"
    assert body["location"] == "Geneva"
    assert [p["slug"] for p in body["participants"]] == ["donald-trump", "vladimir-putin"]
    assert body["topics"] == [{"slug": "ukraine-peace-talks", "name": "Ukraine peace talks"}]
    assert body["citations"][0]["source"]["id"] == str(source.pk)
    assert sorted(event.participants.values_list("slug", flat=True)) == ["donald-trump", "vladimir-putin"]
    citation = event.citations.get()
    assert (citation.source, citation.excerpt, citation.locator) == (source, "talks opened in Geneva", "para 1")
    # One history record for the write, naming the editor, with the links in it.
    record = event.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert sorted(p.actor.slug for p in record.participants.all()) == ["donald-trump", "vladimir-putin"]
    assert [t.topic.slug for t in record.topics.all()] == ["ukraine-peace-talks"]
    # The citations are in the event's one version, as the API returned them.
    assert record.data["citations"] == body["citations"]


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
    assert body["certainty"] == "reported"
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


def test_month_and_year_precision_dates_are_accepted_on_the_first(editor_api, source, write_targets):
    sent = payload(source=source, starts_on="2025-08-01", ends_on="2025-09-01", date_precision="month")
    assert editor_api.post(URL, sent, format="json").status_code == 201
    sent = payload(source=source, starts_on="2025-01-01", ends_on=None, date_precision="year")
    assert editor_api.post(URL, sent, format="json").status_code == 201
    assert Event.objects.count() == 2


def test_server_owned_fields_are_ignored(editor_api, source, write_targets):
    sent = payload(source=source, id="00000000-0000-0000-0000-000000000000", created_at="2000-01-01T00:00:00Z")
    body = editor_api.post(URL, sent, format="json").json()
    assert body["id"] != sent["id"]
    assert not body["created_at"].startswith("2000")


def test_replace_and_partial_update(editor_api, summit, source):
    other = factories.make_source(title="Reuters")
    url = f"{URL}{summit.pk}/"
    versions = summit.history.count()
    replaced = payload(
        source=other, title="Alaska summit", participants=[], topics=[], ends_on=None, certainty="disputed"
    )
    response = editor_api.put(url, replaced, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["citations"][0]["source"]["title"] == "Reuters"
    assert (body["participants"], body["topics"], body["ends_on"]) == ([], [], None)
    summit.refresh_from_db()
    assert summit.starts_on == datetime.date(2025, 11, 23)
    assert summit.location == "Geneva"
    assert summit.participants.count() == 0
    assert [c.source for c in summit.citations.all()] == [other]  # replaced, not added to
    response = editor_api.patch(url, {"certainty": "confirmed", "participants": ["donald-trump"]}, format="json")
    assert response.status_code == 200, response.content
    summit.refresh_from_db()
    assert summit.certainty == "confirmed"
    assert summit.title == "Alaska summit"  # fields not sent are kept
    assert [p.slug for p in summit.participants.all()] == ["donald-trump"]
    assert [c.source for c in summit.citations.all()] == [other]  # PATCH without citations keeps them
    assert summit.history.count() == versions + 2  # one record per write
    assert summit.history.latest().history_type == "~"


def test_patch_with_citations_replaces_them(editor_api, summit, source):
    other = factories.make_source(title="Reuters")
    response = editor_api.patch(
        f"{URL}{summit.pk}/", {"citations": [{"source": str(other.pk), "note": "wire copy"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [(c.source, c.note) for c in summit.citations.all()] == [(other, "wire copy")]
    assert not EventCitation.objects.filter(source=source).exists()


def test_put_without_citations_is_400_and_keeps_them(editor_api, summit, source, write_targets):
    body = payload(source=source)
    del body["citations"]
    response = editor_api.put(f"{URL}{summit.pk}/", body, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["citations"]
    summit.refresh_from_db()
    assert summit.title == "Alaska summit"
    assert summit.citations.count() == 1


def test_patch_with_empty_citations_is_400_and_keeps_them(editor_api, summit):
    response = editor_api.patch(f"{URL}{summit.pk}/", {"citations": [], "title": "Renamed"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["citations"]
    summit.refresh_from_db()
    assert summit.title == "Alaska summit"
    assert summit.citations.count() == 1


def test_delete(editor_api, api, summit):
    citation = summit.citations.get()
    assert editor_api.delete(f"{URL}{summit.pk}/").status_code == 204
    assert not Event.objects.filter(pk=summit.pk).exists()
    assert not EventCitation.objects.filter(pk=citation.pk).exists()
    assert summit.history.latest().history_type == "-"
    assert api.get(f"{URL}{summit.pk}/").status_code == 410


def test_deleting_an_event_keeps_its_statements(editor_api, summit):
    statement = factories.make_statement(event=summit)
    assert editor_api.delete(f"{URL}{summit.pk}/").status_code == 204
    statement.refresh_from_db()
    assert statement.event is None


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, summit, source, write_targets):
    url = f"{URL}{summit.pk}/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, payload(source=source), format="json").status_code == status
        assert client.put(url, payload(source=source), format="json").status_code == status
        assert client.patch(url, {"title": "x"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    assert Event.objects.count() == 1
    summit.refresh_from_db()
    assert summit.title == "Alaska summit"
    # Reading needs no token.
    assert api.get(url).status_code == 200


MISSING_SOURCE = "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"


@pytest.mark.parametrize(
    ("overrides", "attrs"),
    [
        ({"citations": []}, ["citations"]),
        ({"citations": None}, ["citations"]),
        ({"citations": [{"source": MISSING_SOURCE}]}, ["citations.0.source"]),
        ({"citations": [{"source": "not-a-uuid"}]}, ["citations.0.source"]),
        ({"citations": [{"excerpt": "no source"}]}, ["citations.0.source"]),
        ({"participants": ["donald-trump", "nobody"]}, ["participants"]),
        ({"participants": "donald-trump"}, ["participants"]),
        ({"topics": ["nothing"]}, ["topics"]),
        ({"kind": "rumour"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"title": ""}, ["title"]),
        ({"title": None}, ["title"]),
        ({"starts_on": None}, ["starts_on"]),
        ({"starts_on": "mid-November"}, ["starts_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"starts_on": "2025-08-15", "ends_on": None, "date_precision": "month"}, ["starts_on"]),
        ({"starts_on": "2025-02-01", "ends_on": None, "date_precision": "year"}, ["starts_on"]),
        ({"starts_on": "2025-08-01", "ends_on": "2025-08-15", "date_precision": "month"}, ["ends_on"]),
        ({"starts_on": "2025-11-23", "ends_on": "2025-11-22"}, ["ends_on"]),
        ({"starts_on": "2025-08-15", "ends_on": "2025-08-14", "date_precision": "month"}, ["starts_on", "ends_on"]),
    ],
)
def test_invalid_writes_are_400_naming_the_field_and_write_nothing(editor_api, source, write_targets, overrides, attrs):
    body = payload(source=source) | overrides
    if body.get("citations") is None:
        body.pop("citations")
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert Event.objects.count() == 0
    assert EventCitation.objects.count() == 0


def test_patch_cannot_break_precision_of_stored_dates(editor_api, summit):
    response = editor_api.patch(f"{URL}{summit.pk}/", {"date_precision": "month"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["starts_on", "ends_on"]
    summit.refresh_from_db()
    assert summit.date_precision == "day"


def test_patch_cannot_end_before_the_stored_start(editor_api, summit):
    response = editor_api.patch(f"{URL}{summit.pk}/", {"ends_on": "2025-08-14"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["ends_on"]
    response = editor_api.patch(f"{URL}{summit.pk}/", {"starts_on": "2025-08-17"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["ends_on"]
    summit.refresh_from_db()
    assert (summit.starts_on, summit.ends_on) == (datetime.date(2025, 8, 15), datetime.date(2025, 8, 16))


# -- performance ------------------------------------------------------------------


def make_rich_events(n):
    participants = [factories.make_actor() for _ in range(2)]
    topics = [factories.make_topic() for _ in range(2)]
    for i in range(n):
        event = factories.make_event(starts_on=datetime.date(2025, 8, 1 + i % 28))
        event.participants.set(participants)
        event.topics.set(topics)
    return participants, topics


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of events + prefetches: participants, topics, citations (sources joined) = 4.
    make_rich_events(1)
    one, _ = count_queries(api, URL)
    participants, topics = make_rich_events(59)
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert all(len(row["participants"]) == 2 and len(row["citations"]) == 1 for row in body["results"])
    assert one == full == 4
    # Each slug filter adds one query, validating its slugs: 4 + participant + topic = 6.
    filtered, body = count_queries(
        api,
        URL,
        page_size=50,
        participant=participants[0].slug,
        topic=topics[0].slug,
    )
    assert len(body["results"]) == 50
    assert filtered == 6


def test_detail_query_budget(api, summit):
    # event, participants, topics, citations with sources.
    queries, _ = count_queries(api, f"{URL}{summit.pk}/")
    assert queries == 4
