"""Every resource of /api/v1/, configured for the shared tests in ``tests/test_resources.py``.

NetBox's ``APIViewTestCases`` idea as a table: each ``Resource`` says in a few lines
how to make one row with known values (``sample``), a valid body to send
(``body``), a change (``patch``), what a list page and an item cost in queries,
each filter with a value that selects the sample and one that does not, and the
writes the API refuses. The shared tests run every check on every resource;
``tests/<app>/test_api.py`` holds only what is specific to one resource (its full
response shape, its order, its own rules).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import resolve

from apps.actors.models import Actor, Role
from apps.core.models import VersionedModel
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic
from tests import factories

# An id no row has; and a marker for a field left out of a body altogether.
MISSING_ID = "7b0e5f38-2c7a-4c55-9d55-2d5b8f0bd4a1"
OMIT = object()


@dataclass(frozen=True)
class Filter:
    """Values of one list filter: ``match`` selects the sample, ``miss`` does not, each of ``bad`` is a 400."""

    match: str
    miss: str
    bad: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    """How the shared tests drive one collection.

    ``sample()`` makes one row with known values, and the unrelated rows the
    ``miss`` values of ``filters`` name (an unknown slug would be a 400, not a miss).
    ``body()`` is a complete valid write, naming new rows it makes. ``invalid``
    pairs overrides of ``body()`` with the fields the 400 names; the first is
    also sent as a PUT to the sample. ``invalid_patch`` is refused when checked
    against the sample as stored. ``many(n)`` makes n rows with every link
    filled, tied on the list's sort key (same date or name), for the query
    budgets and paging: ``list_queries`` and ``detail_queries`` name one query each.
    """

    model: type[VersionedModel]
    sample: Callable[[], VersionedModel]
    body: Callable[[], dict]
    patch: dict
    invalid: list[tuple[dict, list[str]]]
    invalid_patch: tuple[dict, list[str]]
    filters: dict[str, Filter]
    bad_ordering: str  # a field of the row that the list may not be sorted by
    many: Callable[[int], list]
    list_queries: tuple[str, ...]
    detail_queries: tuple[str, ...]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.model.api_resource

    @property
    def url(self) -> str:
        return f"/api/v1/{self.name}/"

    @property
    def key(self) -> str:
        """The response field that addresses an item: ``slug`` or ``id``."""
        return "slug" if self.model.api_lookup_field == "slug" else "id"

    def item_url(self, item) -> str:
        """The URL of a row, or of a response body."""
        public_id = item[self.key] if isinstance(item, dict) else item.public_id
        return f"{self.url}{public_id}/"

    @property
    def cited(self) -> bool:
        """A fact: it has citations, and must keep at least one."""
        return hasattr(self.model, "citations")

    @property
    def citation_model(self):
        return self.model.citations.rel.related_model

    @property
    def filterset(self):
        return resolve(self.url).func.cls.filterset_class


def merged(body: dict, overrides: dict) -> dict:
    """``body`` with ``overrides`` applied; a field overridden with ``OMIT`` is left out."""
    return {k: v for k, v in (body | overrides).items() if v is not OMIT}


def as_sent(value):
    """A response value in the form a client writes it: embedded actors and topics by slug, sources by id."""
    if isinstance(value, list):
        return [as_sent(item) for item in value]
    if isinstance(value, dict):
        if "slug" in value:
            return value["slug"]
        if "id" in value:
            return value["id"]
        return {k: as_sent(v) for k, v in value.items()}
    return value


def new_citations() -> list[dict]:
    """A ``citations`` body naming a new source, every field given."""
    source = factories.make_source()
    return [{"source": str(source.pk), "excerpt": "as reported", "locator": "para 3", "note": "wire copy"}]


def unrelated() -> None:
    """An actor and a topic no sample links to: the ``miss`` of the slug filters."""
    factories.make_actor(slug="bystander", name="Bystander")
    factories.make_topic(slug="bystander", name="Bystander")


# The date many rows share, so that only the tie-breaker orders them.
TIED = datetime.date(2025, 8, 15)


def links() -> tuple[list, list, list[dict]]:
    """Two actors, two topics and two citations for each of many facts."""
    actors = [factories.make_actor() for _ in range(2)]
    topics = [factories.make_topic() for _ in range(2)]
    return actors, topics, [{"source": factories.make_source()} for _ in range(2)]


# -- actors -------------------------------------------------------------------------


def sample_actor() -> Actor:
    return factories.make_actor(
        slug="vladimir-putin",
        name="Vladimir Putin",
        kind="person",
        aliases=["Vladimir Vladimirovich Putin", "Путин"],
        description="President of Russia since 2012.",
        country="RU",
        wikidata_id="Q7747",
    )


def actor_body() -> dict:
    return {
        "slug": "volodymyr-zelenskyy",
        "name": "Volodymyr Zelenskyy",
        "kind": "person",
        "aliases": ["Zelensky", "Зеленський"],
        "description": "President of Ukraine.",
        "country": "UA",
        "wikidata_id": "Q3874799",
    }


def many_actors(n: int) -> list[Actor]:
    return [factories.make_actor(name="John Smith", aliases=["Johnny"]) for _ in range(n)]


ACTORS = Resource(
    model=Actor,
    sample=sample_actor,
    body=actor_body,
    patch={"name": "Vladimir V. Putin"},
    invalid=[
        ({"slug": "not a slug"}, ["slug"]),
        ({"slug": "vladimir-putin"}, ["slug"]),  # taken
        ({"slug": ""}, ["slug"]),
        ({"name": ""}, ["name"]),
        ({"kind": "ruler"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"country": "us"}, ["country"]),
        ({"country": "USA"}, ["country", "country"]),  # too long, and not a two-letter code
        ({"country": "U1"}, ["country"]),
        ({"wikidata_id": "22686"}, ["wikidata_id"]),
        ({"wikidata_id": "Q0"}, ["wikidata_id"]),
        ({"wikidata_id": "Q7747"}, ["wikidata_id"]),  # taken
        ({"aliases": "Zelensky"}, ["aliases"]),
        ({"aliases": None}, ["aliases"]),
        ({"aliases": {"en": "Zelensky"}}, ["aliases"]),
        ({"aliases": ["Zelensky", 5]}, ["aliases.1"]),
        ({"aliases": [["Zelensky"]]}, ["aliases.0"]),
        ({"aliases": [None]}, ["aliases.0"]),
        ({"aliases": [""]}, ["aliases.0"]),
    ],
    invalid_patch=({"country": "us"}, ["country"]),
    filters={
        "kind": Filter("person", "state", ("ruler",)),
        "country": Filter("ru", "UA", ("USA", "U1")),  # any case
        "q": Filter("vladimirovich", "zelensky"),  # an alias
    },
    bad_ordering="country",
    many=many_actors,
    list_queries=("actors",),
    detail_queries=("the actor",),
)


# -- roles --------------------------------------------------------------------------


def sample_role() -> Role:
    """Held from October 2014 to 1 October 2024."""
    unrelated()
    return factories.make_role(
        actor=factories.make_actor(slug="jens-stoltenberg", name="Jens Stoltenberg"),
        title="Secretary General",
        organization=factories.make_actor(slug="nato", name="NATO", kind="organization"),
        valid_from=datetime.date(2014, 10, 1),
        valid_to=datetime.date(2024, 10, 1),
        date_precision="month",
    )


def role_body() -> dict:
    return {
        "actor": factories.make_actor().slug,
        "title": "U.S. Ambassador to NATO",
        "organization": factories.make_actor(kind="state").slug,
        "valid_from": "2025-04-10",
        "valid_to": None,
        "date_precision": "day",
    }


def many_roles(n: int) -> list[Role]:
    actor, organization = factories.make_actor(), factories.make_actor(kind="organization")
    return [factories.make_role(actor=actor, organization=organization, valid_from=TIED) for _ in range(n)]


ROLES = Resource(
    model=Role,
    sample=sample_role,
    body=role_body,
    patch={"title": "Former Secretary General", "organization": None},
    invalid=[
        ({"title": ""}, ["title"]),
        ({"valid_from": "2025-04-10", "valid_to": "2025-04-09"}, ["valid_to"]),
        ({"valid_from": "2025-04-10", "date_precision": "month"}, ["valid_from"]),
        ({"valid_from": "2025-04-01", "valid_to": "2025-05-31", "date_precision": "month"}, ["valid_to"]),
        ({"valid_from": "2025-04-01", "valid_to": None, "date_precision": "year"}, ["valid_from"]),
        ({"actor": "nobody"}, ["actor"]),
        ({"actor": None}, ["actor"]),
        ({"organization": "nothing"}, ["organization"]),
        ({"date_precision": "week"}, ["date_precision"]),
    ],
    invalid_patch=({"valid_to": "2014-09-01"}, ["valid_to"]),  # before the stored start
    filters={
        "actor": Filter("jens-stoltenberg", "bystander", ("nobody",)),
        "organization": Filter("nato", "bystander", ("nothing",)),
        "valid_at": Filter("2024-10-01", "2024-10-02", ("today",)),  # the last day, inclusive
        "date_from": Filter("2024-10-01", "2024-10-02", ("14/01/2026",)),
        "date_to": Filter("2014-10-01", "2014-09-30", ("2026-02-30",)),
        "q": Filter("stoltenberg", "ambassador"),  # the holder's name
    },
    bad_ordering="title",
    many=many_roles,
    list_queries=("roles with actor and organization joined",),
    detail_queries=("the role with actor and organization joined",),
)


# -- topics -------------------------------------------------------------------------


def sample_topic() -> Topic:
    unrelated()
    war = factories.make_topic(slug="russia-ukraine-war", name="Russia–Ukraine war")
    return factories.make_topic(
        slug="ukraine-peace-talks", name="Ukraine peace talks", description="Istanbul, Riyadh, Geneva.", parent=war
    )


def topic_body() -> dict:
    return {
        "slug": "black-sea-ceasefire",
        "name": "Black Sea ceasefire",
        "description": "Safe passage for shipping.",
        "parent": factories.make_topic().slug,
    }


def many_topics(n: int) -> list[Topic]:
    parent = factories.make_topic(name="Z parent")  # listed after its children, by name
    return [factories.make_topic(name="Talks", parent=parent) for _ in range(n)]


TOPICS = Resource(
    model=Topic,
    sample=sample_topic,
    body=topic_body,
    patch={"name": "Peace talks", "parent": None},
    invalid=[
        ({"slug": "no spaces"}, ["slug"]),
        ({"slug": "russia-ukraine-war"}, ["slug"]),  # taken
        ({"slug": OMIT}, ["slug"]),
        ({"name": ""}, ["name"]),
        ({"parent": "nothing"}, ["parent"]),
        ({"parent": 7}, ["parent"]),
    ],
    invalid_patch=({"parent": "ukraine-peace-talks"}, ["parent"]),  # itself
    filters={
        "parent": Filter("russia-ukraine-war", "bystander", ("nothing",)),
        "q": Filter("riyadh", "nuclear"),  # description
    },
    bad_ordering="parent",
    many=many_topics,
    list_queries=("topics with their parent joined",),
    detail_queries=("the topic with its parent joined",),
)


# -- sources ------------------------------------------------------------------------


def sample_source() -> Source:
    return factories.make_source(
        title="Treaty on Measures for the Further Reduction and Limitation of Strategic Offensive Arms",
        url="https://2009-2017.state.gov/documents/organization/140035.pdf",
        publisher="U.S. Department of State",
        author="",
        kind="treaty_text",
        published_on=datetime.date(2010, 4, 1),
        published_on_precision="month",
        retrieved_on=datetime.date(2026, 1, 20),
    )


def source_body() -> dict:
    return {
        "title": "Trump says Putin is ready to make a deal",
        "url": "https://www.reuters.com/world/trump-interview-2026-01-14/",
        "publisher": "Reuters",
        "author": "Steve Holland",
        "kind": "interview",
        "published_on": "2026-01-14",
        "published_on_precision": "day",
        "retrieved_on": "2026-01-15",
        "language": "de",
    }


def many_sources(n: int) -> list[Source]:
    return [factories.make_source(published_on=TIED) for _ in range(n)]


SOURCES = Resource(
    model=Source,
    sample=sample_source,
    body=source_body,
    patch={"url": None, "language": "ru"},
    invalid=[
        ({"url": "not a url"}, ["url"]),
        ({"url": "reuters.com/world"}, ["url"]),
        ({"url": "https://2009-2017.state.gov/documents/organization/140035.pdf"}, ["url"]),  # taken
        ({"kind": "blog"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"title": ""}, ["title"]),
        ({"published_on": "2026-01-14", "published_on_precision": "month"}, ["published_on"]),
        ({"published_on": "2026-02-01", "published_on_precision": "year"}, ["published_on"]),
        ({"published_on": "January 2026"}, ["published_on"]),
        ({"published_on_precision": "week"}, ["published_on_precision"]),
        ({"retrieved_on": "2026-02-30"}, ["retrieved_on"]),
    ],
    invalid_patch=({"published_on_precision": "year"}, ["published_on"]),  # stored 2010-04-01
    filters={
        "kind": Filter("treaty_text", "news", ("blog",)),
        "publisher": Filter("u.s. department of state", "U.S. Department"),  # whole name, any case
        "date_from": Filter("2010-04-01", "2010-04-02", ("14/01/2026",)),
        "date_to": Filter("2010-04-01", "2010-03-31", ("2026-13-01",)),
        "q": Filter("STATE.GOV", "explainer"),  # url
    },
    bad_ordering="url",
    many=many_sources,
    list_queries=("sources",),
    detail_queries=("the source",),
)


# -- events -------------------------------------------------------------------------


def sample_event() -> Event:
    unrelated()
    return factories.make_event(
        title="Alaska summit",
        kind="summit",
        description="Trump and Putin met for talks on Ukraine.",
        starts_on=datetime.date(2025, 8, 15),
        ends_on=datetime.date(2025, 8, 16),
        certainty="confirmed",
        location="Joint Base Elmendorf-Richardson, Anchorage",
        participants=[
            factories.make_actor(slug="donald-trump", name="Donald Trump"),
            factories.make_actor(slug="vladimir-putin", name="Vladimir Putin"),
        ],
        topics=[factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks")],
        citations=[{"source": factories.make_source(title="The explainer"), "excerpt": "the leaders met in Anchorage"}],
    )


def event_body() -> dict:
    return {
        "title": "Geneva talks",
        "kind": "negotiation",
        "description": "A round of talks on a ceasefire.",
        "starts_on": "2025-11-23",
        "ends_on": "2025-11-24",
        "date_precision": "day",
        "certainty": "reported",
        "location": "Geneva",
        "participants": [factories.make_actor().slug],
        "topics": [factories.make_topic().slug],
        "citations": new_citations(),
    }


def many_events(n: int) -> list[Event]:
    actors, topics, sources = links()
    return [
        factories.make_event(starts_on=TIED, participants=actors, topics=topics, citations=sources) for _ in range(n)
    ]


EVENTS = Resource(
    model=Event,
    sample=sample_event,
    body=event_body,
    patch={"location": "Anchorage", "participants": ["donald-trump"]},
    invalid=[
        ({"title": ""}, ["title"]),
        ({"title": None}, ["title"]),
        ({"participants": ["donald-trump", "nobody"]}, ["participants"]),
        ({"participants": "donald-trump"}, ["participants"]),
        ({"topics": ["nothing"]}, ["topics"]),
        ({"kind": "rumour"}, ["kind"]),
        ({"kind": None}, ["kind"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"starts_on": None}, ["starts_on"]),
        ({"starts_on": "mid-November"}, ["starts_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"starts_on": "2025-08-15", "ends_on": None, "date_precision": "month"}, ["starts_on"]),
        ({"starts_on": "2025-02-01", "ends_on": None, "date_precision": "year"}, ["starts_on"]),
        ({"starts_on": "2025-08-01", "ends_on": "2025-08-15", "date_precision": "month"}, ["ends_on"]),
        ({"starts_on": "2025-11-23", "ends_on": "2025-11-22"}, ["ends_on"]),
        ({"starts_on": "2025-08-15", "ends_on": "2025-08-14", "date_precision": "month"}, ["starts_on", "ends_on"]),
    ],
    invalid_patch=({"date_precision": "month"}, ["starts_on", "ends_on"]),  # stored 15–16 August
    filters={
        "participant": Filter("donald-trump", "bystander", ("nobody",)),
        "topic": Filter("ukraine-peace-talks", "bystander", ("nothing",)),
        "kind": Filter("summit", "election", ("rumour",)),
        "certainty": Filter("confirmed", "disputed", ("sure",)),
        "date_from": Filter("2025-08-15", "2025-08-16", ("15/08/2025",)),  # on starts_on, not ends_on
        "date_to": Filter("2025-08-15", "2025-08-14", ("2025-13-01",)),
        "q": Filter("ANCHORAGE", "caracas"),  # location, any case
    },
    bad_ordering="ends_on",
    many=many_events,
    list_queries=("events", "their participants", "their topics", "their citations with sources joined"),
    detail_queries=("the event", "its participants", "its topics", "its citations with sources joined"),
)


# -- statements ---------------------------------------------------------------------

INTERVIEW_ID = "2f1d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b"
OTHER_EVENT_ID = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a"


def sample_statement() -> Statement:
    unrelated()
    factories.make_event(pk=OTHER_EVENT_ID, title="Another event")
    return factories.make_statement(
        speaker=factories.make_actor(slug="donald-trump", name="Donald Trump"),
        text="main impediment",
        kind="direct_quote",
        said_on=datetime.date(2026, 1, 14),
        certainty="confirmed",
        event=factories.make_event(pk=INTERVIEW_ID, title="Reuters interview", kind="interview"),
        medium="Interview with Reuters",
        about=[factories.make_actor(slug="volodymyr-zelenskyy", name="Volodymyr Zelenskyy")],
        topics=[factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks")],
        citations=[
            {"source": factories.make_source(title="The explainer"), "excerpt": "is the “main impediment” to peace"}
        ],
    )


def statement_body() -> dict:
    return {
        "speaker": factories.make_actor().slug,
        "text": "ready to make a deal",
        "kind": "paraphrase",
        "said_on": "2025-08-01",
        "date_precision": "day",
        "certainty": "reported",
        "event": str(factories.make_event().pk),
        "medium": "Press conference",
        "about": [factories.make_actor().slug],
        "topics": [factories.make_topic().slug],
        "assessment": "Said before the summit.",
        "citations": new_citations(),
    }


def many_statements(n: int) -> list[Statement]:
    actors, topics, sources = links()
    event = factories.make_event()
    return [
        factories.make_statement(
            speaker=actors[0], about=actors, topics=topics, event=event, said_on=TIED, citations=sources
        )
        for _ in range(n)
    ]


STATEMENTS = Resource(
    model=Statement,
    sample=sample_statement,
    body=statement_body,
    patch={"text": "the main impediment"},
    invalid=[
        ({"text": ""}, ["text"]),
        ({"speaker": "nobody"}, ["speaker"]),
        ({"speaker": None}, ["speaker"]),
        ({"about": ["nobody"]}, ["about"]),
        ({"kind": "rumour"}, ["kind"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"said_on": "2026-01-14", "date_precision": "month"}, ["said_on"]),
        ({"said_on": "2026-02-01", "date_precision": "year"}, ["said_on"]),
        ({"said_on": "mid-January"}, ["said_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"event": MISSING_ID}, ["event"]),
    ],
    invalid_patch=({"date_precision": "month"}, ["said_on"]),  # stored 14 January
    filters={
        "speaker": Filter("donald-trump", "bystander", ("nobody",)),
        "about": Filter("volodymyr-zelenskyy", "bystander", ("nobody",)),
        "topic": Filter("ukraine-peace-talks", "bystander", ("nothing",)),
        "event": Filter(INTERVIEW_ID, OTHER_EVENT_ID, ("not-a-uuid", MISSING_ID)),
        "kind": Filter("direct_quote", "paraphrase", ("rumour",)),
        "certainty": Filter("confirmed", "disputed", ("sure",)),
        "date_from": Filter("2026-01-14", "2026-01-15", ("14/01/2026",)),
        "date_to": Filter("2026-01-14", "2026-01-13", ("2026-13-01",)),
        "q": Filter("IMPEDIMENT reuters", "impediment nowhere"),  # text and medium, every word
    },
    bad_ordering="text",
    many=many_statements,
    list_queries=(
        "statements with their speaker joined",
        "the actors they are about",
        "their topics",
        "their citations with sources joined",
    ),
    detail_queries=(
        "the statement with its speaker joined",
        "the actors it is about",
        "its topics",
        "its citations with sources joined",
    ),
)


# -- positions ----------------------------------------------------------------------

# Evidence the position and deadline samples cite, and a statement and an event they do not.
EVIDENCE_STATEMENT_ID = "5c0e2a41-7d2b-4f0e-9a53-1b7f3c9d2e61"
OTHER_STATEMENT_ID = "6d1f3b52-8e3c-4a1f-8b64-2c8a4d0e3f72"
EVIDENCE_EVENT_ID = "7e2a4c63-9f4d-4b2a-9c75-3d9b5e1f4a83"


def evidence() -> dict:
    """A cited statement and event for a sample, and an uncited statement and event (the filters' misses)."""
    factories.make_statement(pk=OTHER_STATEMENT_ID, text="Something else")
    factories.make_event(pk=OTHER_EVENT_ID, title="Another event")
    return {
        "evidence_statements": [factories.make_statement(pk=EVIDENCE_STATEMENT_ID, text="We want it all")],
        "evidence_events": [factories.make_event(pk=EVIDENCE_EVENT_ID, title="The summit")],
    }


def evidence_body() -> dict:
    return {"statements": [str(factories.make_statement().pk)], "events": [str(factories.make_event().pk)]}


def many_evidence() -> dict:
    """Two statements (by different speakers) and an event, for every one of many positions or deadlines."""
    return {
        "evidence_statements": [factories.make_statement() for _ in range(2)],
        "evidence_events": [factories.make_event()],
    }


def sample_position() -> Position:
    """Held from 1 June to 31 December 2025."""
    unrelated()
    return factories.make_position(
        actor=factories.make_actor(slug="vladimir-putin", name="Vladimir Putin"),
        topic=factories.make_topic(slug="ukraine-peace-talks", name="Ukraine peace talks"),
        stance="demands",
        summary="Ukraine withdraws from the rest of Donetsk oblast.",
        valid_from=datetime.date(2025, 6, 1),
        valid_to=datetime.date(2025, 12, 31),
        certainty="confirmed",
        citations=[{"source": factories.make_source(title="The explainer"), "excerpt": "demands the whole of Donetsk"}],
        **evidence(),
    )


def position_body() -> dict:
    return {
        "actor": factories.make_actor().slug,
        "topic": factories.make_topic().slug,
        "stance": "rejects",
        "summary": "No European troops in Ukraine after a ceasefire.",
        "valid_from": "2025-03-01",
        "valid_to": None,
        "date_precision": "day",
        "certainty": "reported",
        "evidence": evidence_body(),
        "citations": new_citations(),
    }


def many_positions(n: int) -> list[Position]:
    actors, topics, sources = links()
    cites = many_evidence()
    return [
        factories.make_position(actor=actors[0], topic=topics[0], valid_from=TIED, citations=sources, **cites)
        for _ in range(n)
    ]


POSITIONS = Resource(
    model=Position,
    sample=sample_position,
    body=position_body,
    patch={"summary": "Ukraine withdraws from Donetsk and Luhansk."},
    invalid=[
        ({"summary": ""}, ["summary"]),
        ({"actor": "nobody"}, ["actor"]),
        ({"actor": None}, ["actor"]),
        ({"topic": "nothing"}, ["topic"]),
        ({"stance": "likes"}, ["stance"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"valid_from": "2025-03-01", "valid_to": "2025-02-28"}, ["valid_to"]),
        ({"valid_from": "2025-03-14", "date_precision": "month"}, ["valid_from"]),
        ({"valid_from": "2025-03-01", "valid_to": "2025-04-30", "date_precision": "month"}, ["valid_to"]),
        ({"valid_from": "2025-03-01", "date_precision": "year"}, ["valid_from"]),
        ({"valid_from": "March 2025"}, ["valid_from"]),
        ({"date_precision": "week"}, ["date_precision"]),
    ],
    invalid_patch=({"valid_to": "2025-05-31"}, ["valid_to"]),  # before the stored start
    filters={
        "actor": Filter("vladimir-putin", "bystander", ("nobody",)),
        "topic": Filter("ukraine-peace-talks", "bystander", ("nothing",)),
        "stance": Filter("demands", "offers", ("likes",)),
        "certainty": Filter("confirmed", "disputed", ("sure",)),
        "valid_at": Filter("2025-06-01", "2025-05-31", ("today",)),
        "current": Filter("false", "true", ("maybe", "yes")),
        "date_from": Filter("2025-12-31", "2026-01-01", ("14/01/2026",)),
        "date_to": Filter("2025-06-01", "2025-05-31", ("2026-13-01",)),
        "q": Filter("donetsk putin", "ceasefire"),  # summary and actor name
        "evidence_statement": Filter(EVIDENCE_STATEMENT_ID, OTHER_STATEMENT_ID, ("not-a-uuid", MISSING_ID)),
        "evidence_event": Filter(EVIDENCE_EVENT_ID, OTHER_EVENT_ID, ("not-a-uuid", MISSING_ID)),
    },
    bad_ordering="summary",
    many=many_positions,
    list_queries=(
        "positions with actor and topic joined",
        "their citations with sources joined",
        "their evidence statements with speakers joined",
        "their evidence events",
    ),
    detail_queries=(
        "the position with actor and topic joined",
        "its citations with sources joined",
        "its evidence statements with speakers joined",
        "its evidence events",
    ),
)


# -- deadlines ----------------------------------------------------------------------


def sample_deadline() -> Deadline:
    unrelated()
    return factories.make_deadline(
        title="New START expires",
        kind="treaty_expiry",
        description="The last US–Russia treaty capping strategic warheads runs out.",
        due_on=datetime.date(2026, 2, 5),
        status="upcoming",
        certainty="confirmed",
        actors=[
            factories.make_actor(slug="united-states", name="United States", kind="state"),
            factories.make_actor(slug="russia", name="Russia", kind="state"),
        ],
        topics=[factories.make_topic(slug="arms-control", name="Arms control")],
        citations=[{"source": factories.make_source(title="The explainer"), "excerpt": "expires on 5 February 2026"}],
        **evidence(),
    )


def deadline_body() -> dict:
    return {
        "title": "Ceasefire deadline",
        "kind": "ultimatum",
        "description": "Fifty days to agree a ceasefire.",
        "due_on": "2025-09-02",
        "date_precision": "day",
        "status": "lapsed",
        "outcome": "Passed without new tariffs.",
        "certainty": "reported",
        "actors": [factories.make_actor().slug],
        "topics": [factories.make_topic().slug],
        "evidence": evidence_body(),
        "citations": new_citations(),
    }


def many_deadlines(n: int) -> list[Deadline]:
    actors, topics, sources = links()
    cites = many_evidence()
    return [
        factories.make_deadline(due_on=TIED, actors=actors, topics=topics, citations=sources, **cites) for _ in range(n)
    ]


DEADLINES = Resource(
    model=Deadline,
    sample=sample_deadline,
    body=deadline_body,
    patch={"description": "The last treaty capping US and Russian warheads.", "outcome": "No successor treaty."},
    invalid=[
        ({"title": ""}, ["title"]),
        ({"actors": ["russia", "nobody"]}, ["actors"]),
        ({"actors": "russia"}, ["actors"]),
        ({"topics": ["nothing"]}, ["topics"]),
        ({"kind": "expiry"}, ["kind"]),
        ({"status": "pending"}, ["status"]),
        ({"status": None}, ["status"]),
        ({"certainty": "likely"}, ["certainty"]),
        ({"due_on": None}, ["due_on"]),
        ({"due_on": "early September"}, ["due_on"]),
        ({"date_precision": "week"}, ["date_precision"]),
        ({"due_on": "2025-09-02", "date_precision": "month"}, ["due_on"]),
        ({"due_on": "2025-09-01", "date_precision": "year"}, ["due_on"]),
    ],
    invalid_patch=({"date_precision": "month"}, ["due_on"]),  # stored 5 February
    filters={
        "actor": Filter("united-states", "bystander", ("nobody",)),
        "topic": Filter("arms-control", "bystander", ("nothing",)),
        "status": Filter("upcoming", "met", ("pending",)),
        "kind": Filter("treaty_expiry", "vote", ("expiry",)),
        "certainty": Filter("confirmed", "claimed", ("sure",)),
        "date_from": Filter("2026-02-05", "2026-02-06", ("2026-02",)),
        "date_to": Filter("2026-02-05", "2026-02-04", ("2026-02-30",)),
        "q": Filter("WARHEADS", "tariffs"),  # description, any case
        "overdue": Filter("true", "false", ("maybe",)),  # upcoming, due 5 February 2026: past
        "evidence_statement": Filter(EVIDENCE_STATEMENT_ID, OTHER_STATEMENT_ID, ("not-a-uuid", MISSING_ID)),
        "evidence_event": Filter(EVIDENCE_EVENT_ID, OTHER_EVENT_ID, ("not-a-uuid", MISSING_ID)),
    },
    bad_ordering="status",
    many=many_deadlines,
    list_queries=(
        "deadlines",
        "their actors",
        "their topics",
        "their citations with sources joined",
        "their evidence statements with speakers joined",
        "their evidence events",
    ),
    detail_queries=(
        "the deadline",
        "its actors",
        "its topics",
        "its citations with sources joined",
        "its evidence statements with speakers joined",
        "its evidence events",
    ),
)


RESOURCES = [ACTORS, ROLES, TOPICS, SOURCES, EVENTS, STATEMENTS, POSITIONS, DEADLINES]
FACTS = [resource for resource in RESOURCES if resource.cited]
