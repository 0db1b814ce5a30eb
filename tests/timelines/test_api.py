"""/api/v1/actors/{slug}/timeline/: one actor's statements, events, positions, deadlines and roles in date order."""

import datetime
import time

import pytest
from django.utils import timezone

from apps.core.record import services
from apps.positions.models import Position
from apps.timelines.choices import EntryType
from tests import factories
from tests.helpers import assert_problem, count_queries, error_attrs, load_seed, walk

pytestmark = pytest.mark.django_db

D = datetime.date


def url(slug: str = "donald-trump") -> str:
    return f"/api/v1/actors/{slug}/timeline/"


def moment() -> str:
    """A timestamp strictly between the versions written before and after it."""
    time.sleep(0.002)
    value = timezone.now()
    time.sleep(0.002)
    return value.isoformat().replace("+00:00", "Z")


def sort_key(entry: dict, newest_first: bool = False):
    """The documented order: by date with undated entries last, then type, then the fact's id."""
    undated = entry["date"] is None
    date = entry["date"] or ""
    if newest_first:
        return (undated, _inverted(date), _inverted(entry["type"]), _inverted(entry["data"]["id"]))
    return (undated, date, entry["type"], entry["data"]["id"])


def _inverted(text: str) -> tuple:
    return (*tuple(-ord(ch) for ch in text), 1)


# -- the seed ------------------------------------------------------------------------------


@pytest.fixture
def seeded():
    load_seed()  # the rows ``loaddata seed`` writes, copied: tests/test_seed_fixture.py checks the copy


def test_trump_on_the_seed_is_in_date_order_with_every_kind_of_entry(api, seeded):
    entries = walk(api, url(), page_size=5)
    assert entries == api.get(url(), {"page_size": 200}).json()["results"]  # pages join into the one list
    assert entries == sorted(entries, key=sort_key)
    dated = [e for e in entries if e["date"]]
    assert dated
    assert [e["date"] for e in dated] == sorted(e["date"] for e in dated)
    assert all(e["date"] is None for e in entries[len(dated) :]), "undated entries come last"
    # Said by him or about him, events he took part in, his positions, deadlines he is party to, his role.
    assert {e["type"] for e in entries} == {"statement", "event", "position_start", "deadline", "role_start"}
    first = entries[0]
    assert first["type"] == "deadline"  # the promise of a deal within 24 hours, due January 2025
    assert (first["date"], first["date_precision"]) == ("2025-01-01", "month")
    assert first["data"]["title"] == "Trump's promise of a Ukraine deal within 24 hours of taking office"
    assert first["url"] == f"http://testserver/api/v1/deadlines/{first['data']['id']}/"
    assert api.get(first["url"]).json() == first["data"]  # data is the fact as its own endpoint shows it
    quote = next(e for e in entries if e["type"] == "statement" and e["data"]["text"] == "main impediment")
    assert quote["summary"] == "Donald Trump: “main impediment”"
    assert (quote["date"], quote["date_precision"]) == ("2026-01-14", "day")
    for data in (e["data"] for e in entries if e["type"] == "statement"):
        assert "donald-trump" in [data["speaker"]["slug"], *(a["slug"] for a in data["about"])], data
    role = next(e for e in entries if e["type"] == "role_start")
    assert role["date"] is None
    assert role["summary"] == "Holds: President of the United States (United States)"  # since when: not said
    position = next(
        e for e in entries if e["type"] == "position_start" and e["data"]["topic"]["slug"] == "ukraine-peace-talks"
    )
    assert position["summary"].startswith("Holds: Donald Trump seeks (Ukraine peace talks): Wants a ceasefire")
    assert [s["text"] for s in position["data"]["evidence"]["statements"]] == ["main impediment"]


def test_newest_first_keeps_undated_entries_last(api, seeded):
    oldest_first = walk(api, url(), page_size=4)
    newest_first = walk(api, url(), page_size=4, ordering="-date")
    assert newest_first == sorted(oldest_first, key=lambda e: sort_key(e, newest_first=True))
    dated = [e for e in newest_first if e["date"]]
    assert newest_first[: len(dated)] == dated
    assert [e["date"] for e in dated] == sorted((e["date"] for e in dated), reverse=True)


def test_previous_links_walk_back_through_the_same_pages(api, seeded):
    pages = []
    body = api.get(url(), {"page_size": 3}).json()
    assert body["previous"] is None
    while True:
        pages.append(body["results"])
        if not body["next"]:
            break
        body = api.get(body["next"]).json()
    assert len(pages) > 2
    for index in range(len(pages) - 1, 0, -1):
        body = api.get(body["previous"]).json()
        assert body["results"] == pages[index - 1]
    assert body["previous"] is None or api.get(body["previous"]).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "types"),
    [
        ({"type": "statement"}, {"statement"}),
        ({"type": ["event", "deadline"]}, {"event", "deadline"}),
        ({"type": "role_end"}, set()),
        ({"topic": "ukraine-peace-talks"}, {"statement", "event", "position_start", "deadline"}),
        ({"topic": ["nuclear-arms-control", "sanctions-on-russia"]}, {"deadline", "event", "position_start"}),
        ({"date_from": "2026-01-14", "date_to": "2026-01-14"}, {"statement", "event"}),
        ({"type": "", "topic": ""}, {"statement", "event", "position_start", "deadline", "role_start"}),
    ],
)
def test_filters(api, seeded, params, types):
    entries = walk(api, url(), **params)
    assert {e["type"] for e in entries} == types
    if "date_from" in params:
        assert {e["date"] for e in entries} == {"2026-01-14"}
    if params.get("topic"):
        topics = [params["topic"]] if isinstance(params["topic"], str) else params["topic"]
        for entry in entries:
            data = entry["data"]
            linked = [data["topic"]] if "topic" in data else data["topics"]
            assert {t["slug"] for t in linked} & set(topics), entry


# -- positions and roles: a start and an end -----------------------------------------------


def test_a_position_and_a_role_give_a_start_and_an_end_entry(api, trump, peace_talks):
    position = factories.make_position(
        actor=trump, topic=peace_talks, valid_from=D(2025, 3, 1), valid_to=D(2025, 9, 1), date_precision="month"
    )
    factories.make_position(actor=trump, topic=peace_talks, valid_from=D(2025, 10, 1))  # still held: no end
    factories.make_role(actor=trump, title="Envoy", valid_from=D(2024, 5, 2), valid_to=D(2025, 9, 1))
    entries = api.get(url()).json()["results"]
    assert [(e["type"], e["date"], e["date_precision"]) for e in entries] == [
        ("role_start", "2024-05-02", "day"),
        ("position_start", "2025-03-01", "month"),
        ("position_end", "2025-09-01", "month"),  # before role_end on the same date: type order
        ("role_end", "2025-09-01", "day"),
        ("position_start", "2025-10-01", "day"),
    ]
    assert entries[2]["data"]["id"] == str(position.pk)
    assert entries[2]["summary"].startswith("Ends: Donald Trump demands (Ukraine peace talks)")
    assert entries[3]["summary"] == "Leaves: Envoy"
    assert entries[0]["summary"] == "Takes up: Envoy"
    assert entries[1]["summary"].startswith("Begins: Donald Trump demands (Ukraine peace talks)")


def test_statements_by_and_about_the_actor_each_once(api, trump, putin):
    by = factories.make_statement(speaker=trump, text="by him", said_on=D(2025, 1, 2))
    about = factories.make_statement(speaker=putin, text="about him", about=[trump], said_on=D(2025, 1, 3))
    both = factories.make_statement(speaker=trump, text="about himself", about=[trump, putin], said_on=D(2025, 1, 4))
    factories.make_statement(speaker=putin, text="unrelated", about=[putin])
    ids = [e["data"]["id"] for e in api.get(url()).json()["results"]]
    assert ids == [str(by.pk), str(about.pk), str(both.pk)]


def test_ties_on_one_date_page_in_one_stable_order(api, trump):
    made = [factories.make_statement(speaker=trump, said_on=D(2025, 8, 15)) for _ in range(5)]
    made += [factories.make_event(participants=[trump], starts_on=D(2025, 8, 15)) for _ in range(3)]
    one_page = api.get(url()).json()["results"]
    assert walk(api, url(), page_size=2) == one_page
    assert [e["type"] for e in one_page] == ["event"] * 3 + ["statement"] * 5
    assert len({e["data"]["id"] for e in one_page}) == len(made)


# -- as_of -----------------------------------------------------------------------------------


def test_as_of_reads_the_record_then(api, trump, putin, peace_talks):
    statement = factories.make_statement(speaker=trump, text="original", topics=[peace_talks], said_on=D(2025, 5, 1))
    before = moment()
    services.update(statement, data={"text": "edited", "said_on": D(2025, 6, 1)})
    later = factories.make_event(participants=[trump], starts_on=D(2025, 1, 1))
    services.delete(later)
    factories.make_statement(speaker=putin, about=[trump], said_on=D(2024, 1, 1))
    then = api.get(url(), {"as_of": before}).json()["results"]
    assert [(e["type"], e["date"], e["data"]["text"]) for e in then] == [("statement", "2025-05-01", "original")]
    assert then[0]["url"] == f"http://testserver/api/v1/statements/{statement.pk}/?as_of={before}"
    assert api.get(then[0]["url"]).json() == then[0]["data"]
    # Filters apply to the state then: the topic link, the date, the type.
    assert len(api.get(url(), {"as_of": before, "topic": "ukraine-peace-talks"}).json()["results"]) == 1
    assert api.get(url(), {"as_of": before, "date_from": "2025-05-02"}).json()["results"] == []
    now = api.get(url()).json()["results"]
    assert [(e["date"], e["data"]["text"]) for e in now][-1] == ("2025-06-01", "edited")
    # Before the actor existed: a 404, as for an item.
    assert_problem(api.get(url("vladimir-putin"), {"as_of": "2000-01-01T00:00:00Z"}), 404)


def test_as_of_sees_a_position_s_old_end(api, trump, peace_talks):
    position = factories.make_position(actor=trump, topic=peace_talks, valid_from=D(2025, 1, 1))
    before = moment()
    services.update(position, data={"valid_to": D(2025, 12, 31)})
    types = lambda **p: [e["type"] for e in api.get(url(), p).json()["results"]]  # noqa: E731
    assert types(as_of=before) == ["position_start"]
    assert types() == ["position_start", "position_end"]
    assert Position.objects.get().version == 2


# -- errors and budgets ----------------------------------------------------------------------


def test_unknown_actor_is_a_404_problem(api):
    assert_problem(api.get(url("nobody")), 404)


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"type": "tweet"}, "type"),
        ({"type": ["statement", "tweet"]}, "type"),
        ({"topic": "nothing"}, "topic"),
        ({"date_from": "14/01/2026"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"ordering": "title"}, "ordering"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "garbage"}, "cursor"),
        ({"as_of": "yesterday"}, "as_of"),
    ],
)
def test_bad_parameters_are_400_naming_them(api, trump, params, attr):
    assert error_attrs(api.get(url(), params)) == [attr]


def test_a_cursor_of_the_other_ordering_is_a_400(api, trump):
    for day in (1, 2):
        factories.make_statement(speaker=trump, said_on=D(2025, 1, day))
    next_link = api.get(url(), {"page_size": 1}).json()["next"]
    assert error_attrs(api.get(f"{next_link}&ordering=-date")) == ["cursor"]


def every_kind_of_entry(actor, topic, n: int) -> None:
    """n of each, one per day: statements by and about, events, positions that end the next day, deadlines,
    one-day roles; every link filled. Eight entries a day, so a page of 50 holds every type."""
    source = factories.make_source()
    other = factories.make_actor()
    for i in range(n):
        day = D(2025, 1, 1) + datetime.timedelta(days=i)
        cites = [{"source": source}]
        factories.make_statement(speaker=actor, about=[other], topics=[topic], said_on=day, citations=cites)
        factories.make_statement(speaker=other, about=[actor], topics=[topic], said_on=day, citations=cites)
        event = factories.make_event(participants=[actor, other], topics=[topic], starts_on=day, citations=cites)
        statement = factories.make_statement(speaker=other, said_on=None, citations=cites)
        factories.make_position(
            actor=actor,
            topic=topic,
            valid_from=day,
            valid_to=day + datetime.timedelta(days=1),
            citations=cites,
            evidence_statements=[statement],
            evidence_events=[event],
        )
        factories.make_deadline(
            actors=[actor], topics=[topic], due_on=day, citations=cites, evidence_statements=[statement]
        )
        factories.make_role(actor=actor, organization=other, valid_from=day, valid_to=day)


# The actor; the keys of the page (one UNION ALL); then per kind of fact on the page, the fact's own
# read: statements + about + topics + citations (4), events + participants + topics + citations (4),
# positions + citations + evidence statements + evidence events (4), deadlines + actors + topics +
# citations + evidence statements + evidence events (6), roles (1).
TIMELINE_QUERIES = 2 + 4 + 4 + 4 + 6 + 1


@pytest.mark.parametrize("page_size", [1, 50])
def test_query_budget_is_constant_in_the_page_size(api, trump, peace_talks, page_size):
    every_kind_of_entry(trump, peace_talks, 10)
    # A page of one entry, or of 50 spanning every kind of entry.
    queries, body = count_queries(api, url(), page_size=page_size)
    assert len(body["results"]) == page_size
    assert queries <= TIMELINE_QUERIES
    if page_size == 50:
        assert {e["type"] for e in body["results"]} == set(EntryType.values)
        assert queries == TIMELINE_QUERIES
    # A topic costs one query more (its slug is looked up); as_of reads one version table per kind.
    queries, _ = count_queries(api, url(), page_size=page_size, topic="ukraine-peace-talks")
    assert queries <= TIMELINE_QUERIES + 1
    queries, body = count_queries(api, url(), page_size=page_size, as_of=timezone.now().isoformat())
    assert len(body["results"]) == page_size
    assert queries <= 2 + 5
