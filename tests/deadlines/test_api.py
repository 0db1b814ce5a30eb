"""/api/v1/deadlines/: read shape, filters, writes with citations, errors, query budget."""

import datetime

import pytest

from apps.deadlines.models import Deadline, DeadlineCitation
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines/"


@pytest.fixture
def usa():
    return factories.make_actor(slug="united-states", name="United States", kind="state")


@pytest.fixture
def russia():
    return factories.make_actor(slug="russia", name="Russia", kind="state")


@pytest.fixture
def arms_control():
    return factories.make_topic(slug="arms-control", name="Arms control")


@pytest.fixture
def new_start(usa, russia, arms_control, source):
    deadline = factories.make_deadline(
        title="New START expires",
        kind="treaty_expiry",
        description="The last US–Russia treaty capping strategic warheads runs out.",
        due_on=datetime.date(2026, 2, 5),
        status="upcoming",
        certainty="confirmed",
        # Out of name order: the response lists actors by name.
        actors=[usa, russia],
        topics=[arms_control],
        citations=[{"source": source, "excerpt": "expires on 5 February 2026", "locator": "para 14"}],
    )
    return deadline


@pytest.fixture
def ultimatum(russia):
    deadline = factories.make_deadline(
        title="Ultimatum to Moscow",
        kind="ultimatum",
        description="Agree a ceasefire or face secondary tariffs.",
        due_on=datetime.date(2025, 8, 8),
        status="lapsed",
        outcome="Passed without new tariffs; a summit was called instead.",
        certainty="reported",
    )
    deadline.actors.set([russia])
    return deadline


def payload(source=None, **overrides):
    body = {
        "title": "Ceasefire deadline",
        "kind": "ultimatum",
        "description": "Fifty days to agree a ceasefire.",
        "due_on": "2025-09-02",
        "date_precision": "day",
        "status": "upcoming",
        "outcome": "",
        "certainty": "reported",
        "actors": ["united-states", "russia"],
        "topics": ["arms-control"],
        "citations": [{"source": str(source.pk), "excerpt": "fifty days", "locator": "para 3"}],
    }
    return body | overrides


def test_retrieve_full_shape(api, new_start, source):
    body = api.get(f"{URL}{new_start.pk}/").json()
    assert body == {
        "id": str(new_start.pk),
        "title": "New START expires",
        "kind": "treaty_expiry",
        "description": "The last US–Russia treaty capping strategic warheads runs out.",
        "due_on": "2026-02-05",
        "date_precision": "day",
        "status": "upcoming",
        "outcome": "",
        "certainty": "confirmed",
        "actors": [
            {"slug": "russia", "name": "Russia", "kind": "state"},
            {"slug": "united-states", "name": "United States", "kind": "state"},
        ],
        "topics": [{"slug": "arms-control", "name": "Arms control"}],
        "citations": [
            {
                "source": {"id": str(source.pk), "title": "The explainer", "publisher": "Example Wire", "url": None},
                "excerpt": "expires on 5 February 2026",
                "locator": "para 14",
                "note": "",
            }
        ],
        "version": 1,
        "created_at": new_start.created_at.isoformat().replace("+00:00", "Z"),
        "updated_at": new_start.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_list_is_soonest_first(api, new_start, ultimatum):
    body = api.get(URL).json()
    assert [row["id"] for row in body["results"]] == [str(ultimatum.pk), str(new_start.pk)]
    assert body["next"] is None
    assert body["previous"] is None


def test_list_rows_have_the_detail_shape(api, new_start):
    assert api.get(URL).json()["results"] == [api.get(f"{URL}{new_start.pk}/").json()]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "united-states"}, {"new_start"}),
        ({"actor": "russia"}, {"new_start", "ultimatum"}),
        ({"actor": "bystander"}, set()),
        ({"topic": "arms-control"}, {"new_start"}),
        ({"topic": "other-topic"}, set()),
        ({"status": "upcoming"}, {"new_start"}),
        ({"status": "lapsed"}, {"ultimatum"}),
        ({"status": "met"}, set()),
        ({"kind": "treaty_expiry"}, {"new_start"}),
        ({"kind": "ultimatum"}, {"ultimatum"}),
        ({"kind": "vote"}, set()),
        ({"certainty": "confirmed"}, {"new_start"}),
        ({"certainty": "reported"}, {"ultimatum"}),
        ({"certainty": "claimed"}, set()),
        ({"date_from": "2026-02-05"}, {"new_start"}),
        ({"date_from": "2026-02-06"}, set()),
        ({"date_to": "2025-08-08"}, {"ultimatum"}),
        ({"date_to": "2025-08-07"}, set()),
        ({"date_from": "2025-08-08", "date_to": "2026-02-05"}, {"new_start", "ultimatum"}),
        ({"date_from": "2025-08-09", "date_to": "2026-02-04"}, set()),
        ({"q": "new start"}, {"new_start"}),
        ({"q": "WARHEADS"}, {"new_start"}),  # description, any case
        ({"q": "tariffs summit"}, {"ultimatum"}),  # outcome, every word
        ({"q": "moscow ceasefire summit"}, {"ultimatum"}),  # words found in different fields
        ({"q": "warheads tariffs"}, set()),
        ({"q": "nowhere"}, set()),
    ],
)
def test_filters(api, new_start, ultimatum, params, expected):
    factories.make_topic(slug="other-topic")
    factories.make_actor(slug="bystander")
    names = {str(new_start.pk): "new_start", str(ultimatum.pk): "ultimatum"}
    assert {names[row["id"]] for row in api.get(URL, params).json()["results"]} == expected


def test_repeated_parameter_matches_any(api, new_start, ultimatum):
    body = api.get(f"{URL}?status=upcoming&status=lapsed").json()
    assert [row["id"] for row in body["results"]] == [str(ultimatum.pk), str(new_start.pk)]
    body = api.get(f"{URL}?kind=treaty_expiry&kind=ultimatum").json()
    assert {row["id"] for row in body["results"]} == {str(new_start.pk), str(ultimatum.pk)}
    body = api.get(f"{URL}?certainty=confirmed&certainty=reported").json()
    assert len(body["results"]) == 2
    body = api.get(f"{URL}?status=met&status=upcoming").json()
    assert [row["id"] for row in body["results"]] == [str(new_start.pk)]
    other = factories.make_topic(slug="sanctions")
    ultimatum.topics.add(other)
    body = api.get(f"{URL}?topic=arms-control&topic=sanctions").json()
    assert {row["id"] for row in body["results"]} == {str(new_start.pk), str(ultimatum.pk)}


def test_deadline_of_two_requested_actors_is_listed_once(api, new_start):
    body = api.get(f"{URL}?actor=united-states&actor=russia").json()
    assert [row["id"] for row in body["results"]] == [str(new_start.pk)]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("due_on", ["ultimatum", "new_start"]),
        ("-due_on", ["new_start", "ultimatum"]),
        ("created_at", ["new_start", "ultimatum"]),
        ("-created_at", ["ultimatum", "new_start"]),
        ("updated_at", ["ultimatum", "new_start"]),
        ("-updated_at", ["new_start", "ultimatum"]),
    ],
)
def test_ordering(api, new_start, ultimatum, ordering, expected):
    # New START was recorded first but changed last.
    Deadline._base_manager.filter(pk=new_start.pk).update(
        created_at=datetime.datetime(2025, 7, 1, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 10, tzinfo=datetime.UTC),
    )
    Deadline._base_manager.filter(pk=ultimatum.pk).update(
        created_at=datetime.datetime(2025, 7, 14, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2025, 8, 9, tzinfo=datetime.UTC),
    )
    ids = {"new_start": str(new_start.pk), "ultimatum": str(ultimatum.pk)}
    assert [r["id"] for r in api.get(URL, {"ordering": ordering}).json()["results"]] == [ids[n] for n in expected]


def test_same_day_deadlines_page_in_a_stable_order(api):
    day = datetime.date(2026, 2, 5)
    deadlines = [factories.make_deadline(due_on=day) for _ in range(5)]
    first = api.get(URL, {"page_size": 2}).json()
    rest = api.get(first["next"]).json()
    last = api.get(rest["next"]).json()
    ids = [row["id"] for page in (first, rest, last) for row in page["results"]]
    assert last["next"] is None
    assert sorted(ids) == sorted(str(d.pk) for d in deadlines)
    # Pages follow the single-page order: ties on due_on are broken by id, ascending.
    assert ids == [row["id"] for row in api.get(URL).json()["results"]] == sorted(ids)


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"actor": "nobody"}, "actor"),
        ({"topic": "nothing"}, "topic"),
        ({"status": "pending"}, "status"),
        ({"kind": "expiry"}, "kind"),
        ({"certainty": "sure"}, "certainty"),
        ({"date_from": "2026-02"}, "date_from"),
        ({"date_to": "2026-02-30"}, "date_to"),
        ({"ordering": "title"}, "ordering"),
        ({"ordering": "status"}, "ordering"),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(api, params, attr):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["attr"] for e in response.json()["errors"]] == [attr]


def test_one_unknown_slug_among_several_is_400(api, russia):
    response = api.get(f"{URL}?actor=russia&actor=nobody")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["actor"]


# -- writes -------------------------------------------------------------------------


@pytest.fixture
def write_targets(usa, russia, arms_control):
    pass


def test_editor_creates_a_deadline_with_citations(editor_api, editor, source, write_targets):
    response = editor_api.post(URL, payload(source=source), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    deadline = Deadline.objects.get(pk=body["id"])
    assert body["title"] == "Ceasefire deadline"
    assert body["due_on"] == "2025-09-02"
    assert (body["status"], body["certainty"]) == ("upcoming", "reported")
    assert [a["slug"] for a in body["actors"]] == ["russia", "united-states"]
    assert body["topics"] == [{"slug": "arms-control", "name": "Arms control"}]
    assert body["citations"][0]["source"]["id"] == str(source.pk)
    assert sorted(deadline.actors.values_list("slug", flat=True)) == ["russia", "united-states"]
    citation = deadline.citations.get()
    assert (citation.source, citation.excerpt, citation.locator) == (source, "fifty days", "para 3")
    # One history record for the write, naming the editor, with the links in it.
    record = deadline.history.get()
    assert record.history_type == "+"
    assert record.history_user == editor
    assert sorted(a.actor.slug for a in record.actors.all()) == ["russia", "united-states"]
    assert [t.topic.slug for t in record.topics.all()] == ["arms-control"]
    assert record.data["citations"] == body["citations"]  # the citations are in the deadline's version


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
    assert body["certainty"] == "reported"
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


def test_month_and_year_precision_dates_are_accepted_on_the_first(editor_api, source, write_targets):
    response = editor_api.post(URL, payload(source=source, due_on="2026-09-01", date_precision="month"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["date_precision"] == "month"
    response = editor_api.post(URL, payload(source=source, due_on="2027-01-01", date_precision="year"), format="json")
    assert response.status_code == 201, response.content
    assert Deadline.objects.count() == 2


def test_server_owned_fields_are_ignored(editor_api, source, write_targets):
    sent = payload(source=source, id="00000000-0000-0000-0000-000000000000", created_at="2000-01-01T00:00:00Z")
    body = editor_api.post(URL, sent, format="json").json()
    assert body["id"] != sent["id"]
    assert not body["created_at"].startswith("2000")


def test_replace_and_partial_update(editor_api, new_start, source):
    other = factories.make_source(title="Reuters")
    url = f"{URL}{new_start.pk}/"
    versions = new_start.history.count()
    replaced = payload(source=other, title="New START expires", due_on="2026-02-05", actors=[], topics=[])
    response = editor_api.put(url, replaced, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["citations"][0]["source"]["title"] == "Reuters"
    assert (body["actors"], body["topics"]) == ([], [])
    new_start.refresh_from_db()
    assert (new_start.kind, new_start.certainty) == ("ultimatum", "reported")
    assert new_start.actors.count() == 0
    assert [c.source for c in new_start.citations.all()] == [other]  # replaced, not added to
    # The deadline passes: record what became of it.
    response = editor_api.patch(
        url, {"status": "lapsed", "outcome": "Expired without a successor treaty."}, format="json"
    )
    assert response.status_code == 200, response.content
    new_start.refresh_from_db()
    assert (new_start.status, new_start.outcome) == ("lapsed", "Expired without a successor treaty.")
    assert new_start.title == "New START expires"  # fields not sent are kept
    assert [c.source for c in new_start.citations.all()] == [other]  # PATCH without citations keeps them
    assert new_start.history.count() == versions + 2  # one record per write
    assert new_start.history.latest().history_type == "~"


def test_patch_with_citations_replaces_them(editor_api, new_start, source):
    other = factories.make_source(title="Reuters")
    response = editor_api.patch(
        f"{URL}{new_start.pk}/", {"citations": [{"source": str(other.pk), "note": "wire copy"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [(c.source, c.note) for c in new_start.citations.all()] == [(other, "wire copy")]
    assert not DeadlineCitation.objects.filter(source=source).exists()


def test_put_without_citations_is_400_and_keeps_them(editor_api, new_start, source, write_targets):
    body = payload(source=source)
    del body["citations"]
    response = editor_api.put(f"{URL}{new_start.pk}/", body, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["citations"]
    new_start.refresh_from_db()
    assert new_start.title == "New START expires"
    assert new_start.citations.count() == 1


def test_patch_with_empty_citations_is_400_and_keeps_them(editor_api, new_start):
    response = editor_api.patch(f"{URL}{new_start.pk}/", {"citations": [], "status": "met"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["citations"]
    new_start.refresh_from_db()
    assert new_start.status == "upcoming"
    assert new_start.citations.count() == 1


def test_delete(editor_api, api, new_start):
    citation = new_start.citations.get()
    assert editor_api.delete(f"{URL}{new_start.pk}/").status_code == 204
    assert not Deadline.objects.filter(pk=new_start.pk).exists()
    assert not DeadlineCitation.objects.filter(pk=citation.pk).exists()
    assert new_start.history.latest().history_type == "-"
    assert api.get(f"{URL}{new_start.pk}/").status_code == 410


def test_anonymous_and_unprivileged_writes_are_refused(api, reader_api, new_start, source, write_targets):
    url = f"{URL}{new_start.pk}/"
    for client, status in [(api, 401), (reader_api, 403)]:
        assert client.post(URL, payload(source=source), format="json").status_code == status
        assert client.put(url, payload(source=source), format="json").status_code == status
        assert client.patch(url, {"status": "met"}, format="json").status_code == status
        assert client.delete(url).status_code == status
    assert Deadline.objects.count() == 1
    new_start.refresh_from_db()
    assert new_start.status == "upcoming"
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
        ({"actors": ["russia", "nobody"]}, ["actors"]),
        ({"actors": "russia"}, ["actors"]),
        ({"topics": ["nothing"]}, ["topics"]),
        ({"kind": "expiry"}, ["kind"]),
        ({"status": "pending"}, ["status"]),
        ({"status": None}, ["status"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"title": ""}, ["title"]),
        ({"due_on": None}, ["due_on"]),
        ({"due_on": "early September"}, ["due_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"due_on": "2025-09-02", "date_precision": "month"}, ["due_on"]),
        ({"due_on": "2025-09-01", "date_precision": "year"}, ["due_on"]),
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
    assert Deadline.objects.count() == 0
    assert DeadlineCitation.objects.count() == 0


def test_patch_cannot_break_precision_of_stored_date(editor_api, new_start):
    response = editor_api.patch(f"{URL}{new_start.pk}/", {"date_precision": "month"}, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["due_on"]
    new_start.refresh_from_db()
    assert new_start.date_precision == "day"


# -- performance ------------------------------------------------------------------


def make_rich_deadlines(n):
    actors = [factories.make_actor() for _ in range(2)]
    topics = [factories.make_topic() for _ in range(2)]
    for i in range(n):
        deadline = factories.make_deadline(due_on=datetime.date(2026, 2, 1 + i % 28))
        deadline.actors.set(actors)
        deadline.topics.set(topics)
    return actors, topics


def test_list_query_budget_is_flat_in_page_size(api):
    # 1 page of deadlines + prefetches: actors, topics, citations (sources joined) = 4.
    make_rich_deadlines(1)
    one, _ = count_queries(api, URL)
    actors, topics = make_rich_deadlines(59)
    full, body = count_queries(api, URL, page_size=50)
    assert len(body["results"]) == 50
    assert all(len(row["actors"]) == 2 and len(row["citations"]) == 1 for row in body["results"])
    assert one == full == 4
    # Each slug filter adds one query, validating its slugs: 4 + actor + topic = 6.
    filtered, body = count_queries(
        api,
        URL,
        page_size=50,
        actor=actors[0].slug,
        topic=topics[0].slug,
    )
    assert len(body["results"]) == 50
    assert filtered == 6


def test_detail_query_budget(api, new_start):
    # deadline, actors, topics, citations with sources.
    queries, _ = count_queries(api, f"{URL}{new_start.pk}/")
    assert queries == 4
