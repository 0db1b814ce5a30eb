"""``q`` and ``ordering=relevance`` on events, positions and deadlines (issue 7, item 4), on both databases.

PostgreSQL answers from each fact's full-text vector (a generated column for events and deadlines,
triggers for positions, whose actor and topic live in other tables); SQLite from substrings of the
same fields, through a trigram index kept by triggers. Statements have their own module
(tests/statements/test_search.py).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.query.search import search_vectors, trigram_indexes
from apps.core.record import services
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.statements.models import Statement
from tests import factories
from tests.helpers import walk

pytestmark = pytest.mark.django_db


def found(api, resource: str, q: str, **params) -> set[str]:
    key = {"events": "title", "deadlines": "title", "positions": "summary"}[resource]
    return {row[key] for row in walk(api, f"/api/v1/{resource}/", q=q, **params)}


@pytest.fixture
def events():
    factories.make_event(title="Summit in Alaska", description="Talks on a ceasefire.", location="Anchorage")
    factories.make_event(title="Prisoner exchange", description="Over the Belarus border.", location="Minsk")


@pytest.fixture
def deadlines():
    factories.make_deadline(title="New START expiry", description="Warheads capped.", outcome="")
    factories.make_deadline(title="Tariff ultimatum", description="Fifty days.", outcome="Extended once.")


@pytest.fixture
def positions(putin):
    services.update(putin, data={"aliases": ["Путин"]})
    peace = factories.make_topic(name="Peace talks")
    energy = factories.make_topic(name="Energy")
    factories.make_position(actor=putin, topic=peace, summary="Demands recognition of annexed regions.")
    factories.make_position(topic=energy, summary="Wants gas transit restored.")
    return peace


@pytest.mark.usefixtures("events")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("alaska", {"Summit in Alaska"}),  # title
        ("ceasefire anchorage", {"Summit in Alaska"}),  # description and location, every word
        ("minsk or alaska", {"Summit in Alaska", "Prisoner exchange"}),
        ("border -minsk", set()),
        ('"belarus border"', {"Prisoner exchange"}),
    ],
)
def test_events(api, q, expected):
    assert found(api, "events", q) == expected


@pytest.mark.usefixtures("deadlines")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("warheads", {"New START expiry"}),  # description
        ("extended", {"Tariff ultimatum"}),  # outcome
        ('"new start"', {"New START expiry"}),
        ("expiry -warheads", set()),
    ],
)
def test_deadlines(api, q, expected):
    assert found(api, "deadlines", q) == expected


@pytest.mark.usefixtures("positions")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Путин", {"Demands recognition of annexed regions."}),  # the actor's alias
        ("vladimir recognition", {"Demands recognition of annexed regions."}),  # actor name and summary
        ("energy", {"Wants gas transit restored."}),  # the topic's name
        ("gas -energy", set()),
    ],
)
def test_positions(api, q, expected):
    assert found(api, "positions", q) == expected


def test_renamed_actors_and_topics_are_found_by_their_new_names(api, putin, positions):
    """On PostgreSQL triggers rewrite the positions' vectors when their actor or topic is renamed."""
    services.update(putin, data={"name": "V. Poutine", "aliases": []})
    services.update(positions, data={"name": "Armistice"})
    assert found(api, "positions", "Путин") == set()
    assert found(api, "positions", "poutine armistice") == {"Demands recognition of annexed regions."}


@pytest.mark.usefixtures("events")
def test_relevance_is_offered_with_q_and_pages(api):
    factories.make_event(title="Ceasefire summit", description="A ceasefire, then talks on the ceasefire.")
    q = "alaska or anchorage or ceasefire"  # the Alaska summit holds all three words, the other one
    ranked = [row["title"] for row in walk(api, "/api/v1/events/", q=q, ordering="relevance", page_size=1)]
    assert ranked == ["Summit in Alaska", "Ceasefire summit"]
    assert api.get("/api/v1/events/", {"ordering": "relevance"}).status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The vectors exist on PostgreSQL only.")
def test_each_fact_type_with_a_vector_has_its_column_and_index():
    with connection.cursor() as cursor:
        for table, column in search_vectors().values():
            cursor.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s", [table, f"%gin ({column})%"]
            )
            assert cursor.fetchone(), table


def test_a_fact_written_later_is_found(api, events):
    """Generated columns and triggers cover rows written after the migration, by the services."""
    made = factories.make_event(title="Late meeting", starts_on=datetime.date(2026, 1, 1))
    services.update(made, data={"description": "Zaporizhzhia plant."})
    assert found(api, "events", "zaporizhzhia") == {"Late meeting"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigram indexes (PostgreSQL's vectors: above).")
@pytest.mark.usefixtures("events", "deadlines")
def test_each_trigram_index_holds_every_fact_once_with_its_current_text(putin, positions):
    """The triggers of ``*/…_trigram_index``: a row per fact, rewritten on an update, a rename of its
    actor or topic, gone with the fact; nothing left behind."""
    statement = factories.make_statement(speaker=putin, text="First words.")
    services.update(statement, data={"text": "Second words."})
    services.delete(factories.make_event(title="Cancelled meeting"))
    services.update(putin, data={"name": "V. Poutine", "aliases": ["Путин", "VVP"]})
    services.update(positions, data={"name": "Armistice"})

    def indexed(label: str, columns: str) -> dict[str, tuple]:
        index, ids = trigram_indexes()[label]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT m.fact_id, {columns} FROM {ids} m JOIN {index} i ON i.rowid = m.id")
            rows = cursor.fetchall()
            cursor.execute(f"SELECT count(*) FROM {index}")
            assert cursor.fetchone()[0] == len(rows), label  # no index row without its id
        return {fact_id: tuple(values) for fact_id, *values in rows}

    assert indexed("statements.Statement", "i.text, i.speaker_name, i.speaker_aliases") == {
        made.pk.hex: (made.text, made.speaker.name, " ".join(made.speaker.aliases))
        for made in Statement.objects.select_related("speaker")
    }
    assert indexed("positions.Position", "i.summary, i.actor_name, i.topic_name") == {
        made.pk.hex: (made.summary, made.actor.name, made.topic.name)
        for made in Position.objects.select_related("actor", "topic")
    }
    assert indexed("events.Event", "i.title, i.description, i.location") == {
        made.pk.hex: (made.title, made.description, made.location) for made in Event.objects.all()
    }
    assert len(indexed("deadlines.Deadline", "i.title")) == Deadline.objects.count() == 2
    assert ("Second words.", "V. Poutine", "Путин VVP") in indexed(
        "statements.Statement", "i.text, i.speaker_name, i.speaker_aliases"
    ).values()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigram indexes.")
@pytest.mark.usefixtures("events")
def test_sqlite_reads_a_word_through_its_trigram_index_and_a_short_one_with_like(api):
    with CaptureQueriesContext(connection) as queries:
        assert found(api, "events", "anchorage") == {"Summit in Alaska"}
    assert any("MATCH" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        assert found(api, "events", "xc") == {"Prisoner exchange"}  # two letters, fewer than a trigram
    assert not any("MATCH" in query["sql"] for query in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The word pairs exist on PostgreSQL only.")
@pytest.mark.usefixtures("events", "deadlines")
def test_each_facts_word_pairs_follow_every_write(api, putin, positions):
    """``search_pairs`` (``…_phrase_index`` migrations) equals the pairs of the row's current vector after
    an insert, an update, and a rename of the actor or topic whose names the vector holds; a phrase
    found through them is then found exactly where its words are adjacent."""
    statement = factories.make_statement(speaker=putin, text="First words here.")
    services.update(statement, data={"text": "Second words, cold war."})
    services.update(putin, data={"name": "V. Poutine", "aliases": ["Путин", "VVP"]})
    services.update(positions, data={"name": "Armistice talks"})
    services.update(Event.objects.get(title="Prisoner exchange"), data={"location": "Minsk airport"})
    with connection.cursor() as cursor:
        for table, column in search_vectors().values():
            cursor.execute(
                f"SELECT count(*), count(*) FILTER (WHERE search_pairs = factsapi_word_pairs({column})) FROM {table}"
            )
            rows, current = cursor.fetchone()
            assert rows == current > 0, table
    assert found(api, "events", '"minsk airport"') == {"Prisoner exchange"}
    assert found(api, "events", '"airport minsk"') == set()
    assert found(api, "positions", '"armistice talks"') == {"Demands recognition of annexed regions."}
    assert found(api, "positions", '"peace talks"') == set()
    assert found(api, "deadlines", '"fifty days" or "warheads capped"') == {"Tariff ultimatum", "New START expiry"}
    statements = {row["text"] for row in walk(api, "/api/v1/statements/", q='"v poutine" "cold war"')}
    assert statements == {"Second words, cold war."}
    assert walk(api, "/api/v1/statements/", q='"first words"') == []
