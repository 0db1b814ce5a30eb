"""Generate a large synthetic data set to measure on (``make bench``, issue 7).

Rows are written set-based, straight into the tables: ``COPY … FROM STDIN`` on
PostgreSQL (faster than ``bulk_create`` or ``INSERT … SELECT``, and the same
Python row generator serves both databases), batched ``executemany`` on SQLite.
1,000,000 statements with their links, citations, versions and the proportional
other facts load in minutes on PostgreSQL.

This is the ONE place rows are written around ``apps.core.record.services``: a
benchmark generator only. It writes what the services would (valid values, at
least one citation per fact, version 1) and, so that the history, ``as_of`` and
changes-feed benchmarks have something to read, one "created" version per
statement (its ``data`` built as the API shows it; a test compares it with
``apps.core.record.versions.snapshot``) and its changes-feed entry. Other resources get
no version rows: their history pages and ``as_of`` lists are not benchmarked.

Synthetic rows are marked (slugs ``syn-…``, sources under ``https://synthetic.invalid/``,
versions with the change reason ``synthetic``), so the command can refuse a
database that holds anything else – real data – unless ``--force``.
"""

import datetime
import itertools
import json
import random
import time
import uuid
from collections.abc import Iterable

from django.core.management import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from apps.actors.choices import ActorKind
from apps.actors.models import Actor, Role
from apps.core.choices import Certainty, ChangeKind, ChangeReason, DatePrecision
from apps.core.models import Change
from apps.core.record.versions import history_model, representation, versioned_models
from apps.deadlines.choices import DeadlineKind, DeadlineStatus
from apps.deadlines.models import Deadline, DeadlineCitation
from apps.events.choices import EventKind
from apps.events.models import Event, EventCitation
from apps.positions.choices import Stance
from apps.positions.models import Position, PositionCitation
from apps.sources.choices import SourceKind
from apps.sources.models import Source
from apps.statements.choices import StatementKind
from apps.statements.models import Statement, StatementCitation
from apps.topics.models import Topic

SLUG_PREFIX = "syn-"
URL_PREFIX = "https://synthetic.invalid/"
REASON = "synthetic"
CHUNK = 20_000  # statements generated (and held in memory) at a time

_VOCABULARY = (
    "talks ceasefire sanctions border troops summit treaty negotiations security guarantees territory "
    "energy gas pipeline grain corridor referendum election parliament ministry envoy delegation "
    "withdrawal offensive missile drone air defence frontline reconstruction aid loan reserves assets "
    "tariffs trade export import nuclear plant inspection agency resolution council vote veto alliance "
    "membership accession neutrality occupation annexation prisoners exchange humanitarian convoy "
    "evacuation refugees mediation framework proposal deadline ultimatum promise agreement memorandum "
    "protocol commitment guarantee reform corruption"
)
WORDS = _VOCABULARY.split()
# A long tail as real text has: 20,000 made-up words, the k-th about 1/k as frequent as the first (Zipf),
# a fifth of the words written. Without it every word of the text is frequent, and PostgreSQL's estimate
# for a word it has never seen (half the rarest word it knows) makes it walk the date index for a word
# that matches nothing (2.9 s at a million statements) where real text leads it to the full-text index.
_SYLLABLES = [consonant + vowel for consonant in "bdklmnrt" for vowel in "aeiou"]  # ba be … to tu
RARE_WORDS = [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES[:16]][:20_000]
RARE_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(RARE_WORDS) + 1)))
RARE_SHARE = 0.2
_GIVEN = "Anna Boris Chen David Elena Farid Greta Hiro Ivan Julia Karim Lena Marco Nadia Oleg Petra Rafael Sofia"
GIVEN = _GIVEN.split()
_FAMILY = "Adams Berg Costa Dahl Engel Fischer Garcia Horvat Ito Jansen Kowalski Larsen Moreau Novak Olsen"
FAMILY = _FAMILY.split()
PUBLISHERS = ["Example Wire", "Daily Ledger", "Global Monitor", "Policy Review", "State Gazette", "Radio North"]


class Table:
    """Rows of one table, given as tuples in the order of ``attnames`` (space-separated)."""

    def __init__(self, model, attnames: str):
        self.model = model
        self.name = model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.columns = [fields[name].column for name in attnames.split()]


class Writer:
    """COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        self.count += 1
                return
            sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join(['%s'] * len(table.columns))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(tuple(self.adapt(value) for value in row))
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    self.count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                self.count += len(batch)

    def adapt(self, value):
        """SQLite stores UUIDs as 32 hex digits (Django's char(32)) and datetimes as ISO text."""
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None).isoformat(sep=" ")
        return value


def iso(value: datetime.datetime) -> str:
    """A datetime as DRF writes it."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def next_id(model, using: str) -> int:
    return (model._base_manager.using(using).aggregate(m=models.Max("pk"))["m"] or 0) + 1


def foreign_data(using: str) -> list[str]:
    """What in the database was not made by this command (real data): one line per kind."""
    found = []
    for model, marker in ((Actor, "slug"), (Topic, "slug")):
        if n := model._base_manager.using(using).exclude(**{f"{marker}__startswith": SLUG_PREFIX}).count():
            found.append(f"{n} {model._meta.verbose_name_plural}")
    if n := Source._base_manager.using(using).exclude(url__startswith=URL_PREFIX).count():
        found.append(f"{n} sources")
    for versioned in versioned_models():
        history = history_model(versioned)._base_manager.using(using)
        if n := history.exclude(history_change_reason=REASON).count():
            found.append(f"{n} versions of {versioned._meta.verbose_name_plural}")
    return found


class Command(BaseCommand):
    help = (
        "Fill a database with N synthetic statements and proportional actors, topics, sources, events, "
        "positions, deadlines and roles, for benchmarks. Refuses a database holding real data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--statements", type=int, required=True, help="Number of statements (N).")
        parser.add_argument(
            "--facts", type=int, help="Events, positions and deadlines, each (default: a tenth of N, at least 5)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: DATABASE_URL).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--force", action="store_true", help="Write even into a database holding real data.")

    def handle(self, *args, statements: int, database: str, seed: int, force: bool, verbosity: int = 1, **options):
        if statements < 1:
            raise CommandError("--statements must be at least 1.")
        facts = options.get("facts")
        if facts is not None and facts < 1:
            raise CommandError("--facts must be at least 1.")
        if database not in connections:
            raise CommandError(f"No database alias {database!r}.")
        if (found := foreign_data(database)) and not force:
            raise CommandError(
                f"Database {database!r} holds data this command did not make ({', '.join(found)}). "
                "Synthetic rows are for benchmarks: use an empty database, or --force."
            )
        started = time.monotonic()
        generator = Generator(statements, using=database, seed=seed, facts=facts)
        with transaction.atomic(using=database):
            generator.run()
        connection = connections[database]
        if connection.vendor == "postgresql":
            # Statistics for the planner; VACUUM also sets the visibility map index-only scans need
            # (it cannot run inside a transaction, e.g. a test's). Inside one, only this database's own
            # tables: a bare ANALYZE also locks the shared catalogs (pg_authid) until the transaction
            # ends, and another database's ANALYZE waited on it (parallel test workers: minutes).
            with connection.cursor() as cursor:
                if connection.in_atomic_block:
                    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
                    cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))
                else:
                    cursor.execute("VACUUM ANALYZE")
        if verbosity:
            self.stdout.write(
                f"Wrote {generator.writer.count:,} rows ({statements:,} statements) "
                f"in {time.monotonic() - started:.0f} s."
            )


class Generator:
    def __init__(self, statements: int, *, using: str, seed: int, facts: int | None = None):
        self.n = statements
        self.facts = facts
        self.using = using
        self.connection = connections[using]
        self.writer = Writer(self.connection)
        # Unique per run, so a second run adds to the first instead of colliding with its slugs and ids.
        run = Actor._base_manager.using(using).filter(slug__startswith=SLUG_PREFIX).count()
        self.run_tag = f"{run:x}"
        self.random = random.Random(f"{seed}-{run}")
        # Record times a millisecond apart, in order, ending about now.
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.start = now - datetime.timedelta(milliseconds=5 * statements + 100_000)
        self.clock = 0

    # -- values ------------------------------------------------------------------

    def stamp(self) -> datetime.datetime:
        """Distinct, increasing record times, a millisecond apart."""
        self.clock += 1
        return self.start + datetime.timedelta(milliseconds=self.clock)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def words(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        rare = sum(self.random.random() < RARE_SHARE for _ in range(count))
        chosen = self.random.choices(WORDS, k=count - rare)
        chosen += self.random.choices(RARE_WORDS, cum_weights=RARE_WEIGHTS, k=rare)
        self.random.shuffle(chosen)
        return " ".join(chosen)

    def sentence(self, low: int, high: int) -> str:
        text = self.words(low, high)
        return text[0].upper() + text[1:] + "."

    def dated(self, *, undated: float = 0.05) -> tuple[datetime.date | None, str]:
        """A date from 2000 to 2026 and its precision: mostly days, some months and years, some unknown."""
        roll = self.random.random()
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=self.random.randrange(9800))
        if roll < undated:
            return None, DatePrecision.DAY
        if roll < undated + 0.07:
            return day.replace(day=1), DatePrecision.MONTH
        if roll < undated + 0.10:
            return day.replace(month=1, day=1), DatePrecision.YEAR
        return day, DatePrecision.DAY

    def certainty(self) -> str:
        return self.random.choices(Certainty.values, weights=[50, 25, 15, 10])[0]

    # -- tables ------------------------------------------------------------------

    def run(self) -> None:
        self.actors()
        self.topics()
        self.sources()
        self.roles()
        self.events()
        self.positions()
        self.deadlines()
        self.statements()
        self.reset_sequences()

    def count(self, per_million: int, minimum: int) -> int:
        return max(minimum, self.n * per_million // 1_000_000)

    def actors(self) -> None:
        n = self.count(2000, 20)
        start = next_id(Actor, self.using)
        table = Table(
            Actor,
            "id created_at updated_at version slug name kind aliases description country wikidata_id",
        )
        self.actor_rows = []
        for i in range(n):
            kind = ActorKind.STATE if i % 10 == 0 else self.random.choice(ActorKind.values)
            if kind == ActorKind.PERSON:
                name = f"{self.random.choice(GIVEN)} {self.random.choice(FAMILY)} {i}"
            else:
                name = f"{self.random.choice(WORDS).title()} {kind.title()} {i}"
            slug = f"{SLUG_PREFIX}{self.run_tag}-actor-{i}"
            stamp = self.stamp()
            aliases = json.dumps([f"{name.split()[0]} {i}"]) if i % 3 == 0 else "[]"
            self.actor_rows.append((start + i, stamp, stamp, 1, slug, name, kind, aliases, "", "", ""))
        self.writer.write(table, self.actor_rows)
        self.actor_ids = [row[0] for row in self.actor_rows]
        self.actor_brief = {row[0]: {"slug": row[4], "name": row[5], "kind": row[6]} for row in self.actor_rows}
        self.states = [row[0] for row in self.actor_rows if row[6] == ActorKind.STATE]

    def topics(self) -> None:
        n = self.count(200, 10)
        start = next_id(Topic, self.using)
        table = Table(Topic, "id created_at updated_at version slug name description parent_id")
        rows = []
        for i in range(n):
            parent = start + self.random.randrange(10) if i >= 10 and i % 4 == 0 else None
            stamp = self.stamp()
            slug = f"{SLUG_PREFIX}{self.run_tag}-topic-{i}"
            rows.append((start + i, stamp, stamp, 1, slug, f"{self.random.choice(WORDS).title()} {i}", "", parent))
        self.writer.write(table, rows)
        self.topic_ids = [row[0] for row in rows]
        self.topic_brief = {row[0]: {"slug": row[4], "name": row[5]} for row in rows}

    def sources(self) -> None:
        n = self.count(200_000, 10)
        table = Table(
            Source,
            "id created_at updated_at version title url publisher author kind "
            "published_on published_on_precision retrieved_on language",
        )
        rows = []
        for i in range(n):
            published, precision = self.dated(undated=0.1)
            stamp = self.stamp()
            url = f"{URL_PREFIX}{self.run_tag}/{i}"
            publisher = self.random.choice(PUBLISHERS)
            kind = self.random.choice(SourceKind.values)
            title = self.sentence(4, 10)
            rows.append(
                (self.uuid(), stamp, stamp, 1, title, url, publisher, "", kind, published, precision, None, "en")
            )
        self.writer.write(table, rows)
        self.source_ids = [row[0] for row in rows]
        self.source_brief = {
            row[0]: {"id": str(row[0]), "title": row[4], "publisher": row[6], "url": row[5]} for row in rows
        }

    def citation(self, model, fact_field: str, fact_id, ordinal: int) -> tuple:
        stamp = self.stamp()
        source = self.random.choice(self.source_ids)
        return (self.uuid(), stamp, stamp, source, self.words(5, 15), f"para {ordinal + 1}", "", ordinal, fact_id)

    def citation_table(self, model, fact_field: str) -> Table:
        return Table(model, f"id created_at updated_at source_id excerpt locator note ordinal {fact_field}")

    def links(self, model, field_name: str) -> tuple[Table, int]:
        through = model._meta.get_field(field_name).remote_field.through
        source, target = (f.attname for f in through._meta.concrete_fields if f.is_relation)
        return Table(through, f"id {source} {target}"), next_id(through, self.using)

    def roles(self) -> None:
        table = Table(
            Role,
            "id created_at updated_at version actor_id title organization_id valid_from valid_to date_precision",
        )
        rows = []
        for actor in self.actor_ids[: len(self.actor_ids) // 2]:
            start, precision = self.dated(undated=0.1)
            end = start + datetime.timedelta(days=365 * 4) if start and self.random.random() < 0.5 else None
            if end and precision != DatePrecision.DAY:
                end = end.replace(month=1 if precision == DatePrecision.YEAR else end.month, day=1)
            stamp = self.stamp()
            post = self.random.choice(["Minister", "Envoy", "Ambassador", "Spokesperson"])
            title = f"{post} for {self.random.choice(WORDS)}"
            rows.append(
                (self.uuid(), stamp, stamp, 1, actor, title, self.random.choice(self.states), start, end, precision)
            )
        self.writer.write(table, rows)

    def events(self) -> None:
        n = self.facts or self.count(100_000, 5)
        table = Table(
            Event,
            "id created_at updated_at version certainty date_precision title kind description "
            "starts_on ends_on location",
        )
        participants, participant_id = self.links(Event, "participants")
        topics, topic_id = self.links(Event, "topics")
        rows, cites, people, subjects = [], [], [], []
        for _ in range(n):
            starts, precision = self.dated(undated=0)
            assert starts is not None  # undated=0
            ends = (
                starts + datetime.timedelta(days=2)
                if precision == DatePrecision.DAY and self.random.random() < 0.2
                else None
            )
            stamp, pk = self.stamp(), self.uuid()
            kind = self.random.choice(EventKind.values)
            rows.append(
                (
                    pk,
                    stamp,
                    stamp,
                    1,
                    self.certainty(),
                    precision,
                    self.sentence(3, 8),
                    kind,
                    self.sentence(10, 25),
                    starts,
                    ends,
                    self.random.choice(["Geneva", "Istanbul", "Brussels", "Riyadh", ""]),
                )
            )
            cites.append(self.citation(EventCitation, "event_id", pk, 0))
            for actor in self.random.sample(self.actor_ids, 2):
                people.append((participant_id, pk, actor))
                participant_id += 1
            subjects.append((topic_id, pk, self.random.choice(self.topic_ids)))
            topic_id += 1
        self.writer.write(table, rows)
        self.writer.write(self.citation_table(EventCitation, "event_id"), cites)
        self.writer.write(participants, people)
        self.writer.write(topics, subjects)
        self.event_ids = [row[0] for row in rows]

    def positions(self) -> None:
        n = self.facts or self.count(100_000, 5)
        table = Table(
            Position,
            "id created_at updated_at version certainty date_precision actor_id topic_id stance summary "
            "valid_from valid_to",
        )
        rows, cites = [], []
        for _ in range(n):
            start, precision = self.dated(undated=0.1)
            end = None
            if start and self.random.random() < 0.4:
                end = start + datetime.timedelta(days=400)
                if precision != DatePrecision.DAY:
                    end = end.replace(month=1 if precision == DatePrecision.YEAR else end.month, day=1)
            stamp, pk = self.stamp(), self.uuid()
            actor, topic = self.random.choice(self.actor_ids), self.random.choice(self.topic_ids)
            stance = self.random.choice(Stance.values)
            rows.append(
                (
                    pk,
                    stamp,
                    stamp,
                    1,
                    self.certainty(),
                    precision,
                    actor,
                    topic,
                    stance,
                    self.sentence(8, 20),
                    start,
                    end,
                )
            )
            cites.append(self.citation(PositionCitation, "position_id", pk, 0))
        self.writer.write(table, rows)
        self.writer.write(self.citation_table(PositionCitation, "position_id"), cites)

    def deadlines(self) -> None:
        n = self.facts or self.count(100_000, 5)
        table = Table(
            Deadline,
            "id created_at updated_at version certainty date_precision title kind description due_on status outcome",
        )
        actors, actor_id = self.links(Deadline, "actors")
        topics, topic_id = self.links(Deadline, "topics")
        rows, cites, people, subjects = [], [], [], []
        for _ in range(n):
            due, precision = self.dated(undated=0)
            stamp, pk = self.stamp(), self.uuid()
            kind, status = self.random.choice(DeadlineKind.values), self.random.choice(DeadlineStatus.values)
            rows.append(
                (
                    pk,
                    stamp,
                    stamp,
                    1,
                    self.certainty(),
                    precision,
                    self.sentence(3, 8),
                    kind,
                    self.sentence(8, 20),
                    due,
                    status,
                    "",
                )
            )
            cites.append(self.citation(DeadlineCitation, "deadline_id", pk, 0))
            people.append((actor_id, pk, self.random.choice(self.actor_ids)))
            subjects.append((topic_id, pk, self.random.choice(self.topic_ids)))
            actor_id, topic_id = actor_id + 1, topic_id + 1
        self.writer.write(table, rows)
        self.writer.write(self.citation_table(DeadlineCitation, "deadline_id"), cites)
        self.writer.write(actors, people)
        self.writer.write(topics, subjects)

    def statements(self) -> None:
        columns = "id created_at updated_at version certainty date_precision speaker_id"
        columns += " text kind said_on event_id medium assessment"
        table = Table(Statement, columns)
        history = Statement.history.model
        history_table = Table(
            history,
            f"{columns} history_id history_date history_change_reason history_type "
            "change reason changed_fields data data_schema superseded_at",
        )
        about, about_id = self.links(Statement, "about")
        topics, topic_id = self.links(Statement, "topics")
        records = Statement._history_records  # type: ignore[attr-defined]
        link_history = {
            name: Table(
                records.m2m_history_model(Statement._meta.get_field(name)),
                f"m2m_history_id id statement_id {target} history_id",
            )
            for name, target in (("about", "actor_id"), ("topics", "topic_id"))
        }
        m2m_history_id = {name: next_id(t.model, self.using) for name, t in link_history.items()}
        history_id = next_id(history, self.using)
        change_table = Table(Change, "resource object_id version change reason recorded_at")
        data_schema = representation(Statement)
        cite_table = self.citation_table(StatementCitation, "statement_id")
        media = ["told reporters", "press conference", "interview", "televised address", "social media", ""]
        for first in range(0, self.n, CHUNK):
            rows, versions, cites, abouts, subjects, changes = [], [], [], [], [], []
            link_rows: dict[str, list] = {"about": [], "topics": []}
            for _ in range(first, min(first + CHUNK, self.n)):
                said, precision = self.dated()
                stamp, pk = self.stamp(), self.uuid()
                speaker = self.random.choice(self.actor_ids)
                event = self.random.choice(self.event_ids) if self.random.random() < 0.2 else None
                kind = StatementKind.DIRECT_QUOTE if self.random.random() < 0.6 else StatementKind.PARAPHRASE
                row: tuple = (pk, stamp, stamp, 1, self.certainty(), precision, speaker, self.sentence(10, 30), kind)
                row += (
                    said,
                    event,
                    self.random.choice(media),
                    "" if self.random.random() < 0.8 else self.sentence(5, 12),
                )
                rows.append(row)
                target, topic = self.random.choice(self.actor_ids), self.random.choice(self.topic_ids)
                abouts.append((about_id, pk, target))
                subjects.append((topic_id, pk, topic))
                link_rows["about"].append((m2m_history_id["about"], about_id, pk, target, history_id))
                link_rows["topics"].append((m2m_history_id["topics"], topic_id, pk, topic, history_id))
                about_id, topic_id = about_id + 1, topic_id + 1
                m2m_history_id["about"] += 1
                m2m_history_id["topics"] += 1
                my_cites = [
                    self.citation(StatementCitation, "statement_id", pk, ordinal)
                    for ordinal in range(1 if self.random.random() < 0.5 else 2)
                ]
                cites.extend(my_cites)
                data = {
                    "id": str(pk), "speaker": self.actor_brief[speaker], "text": row[7], "kind": kind,
                    "said_on": said.isoformat() if said else None, "date_precision": precision,
                    "certainty": row[4], "event": str(event) if event else None, "medium": row[11],
                    "about": [self.actor_brief[target]], "topics": [self.topic_brief[topic]],
                    "assessment": row[12],
                    "citations": [
                        {"source": self.source_brief[c[3]], "excerpt": c[4], "locator": c[5], "note": c[6]}
                        for c in my_cites
                    ],
                    "version": 1, "created_at": iso(stamp), "updated_at": iso(stamp),
                }  # fmt: skip
                record = (ChangeKind.CREATED, ChangeReason.NEW, "[]", json.dumps(data), data_schema, None)
                versions.append((*row, history_id, stamp, REASON, "+", *record))
                changes.append(("statements", str(pk), 1, ChangeKind.CREATED, ChangeReason.NEW, stamp))
                history_id += 1
            self.writer.write(table, rows)
            self.writer.write(cite_table, cites)
            self.writer.write(about, abouts)
            self.writer.write(topics, subjects)
            self.writer.write(history_table, versions)
            for name, link_table in link_history.items():
                self.writer.write(link_table, link_rows[name])
            self.writer.write(change_table, changes)

    def reset_sequences(self) -> None:
        """Identity sequences past the ids given explicitly, so later writes through the services still work."""
        tables = [Actor, Topic, Statement.history.model]
        for model in (Event, Deadline, Statement):
            for field in model._meta.many_to_many:
                tables.append(field.remote_field.through)
                if hasattr(model, "_history_records") and field in model._history_records.m2m_models:
                    tables.append(model._history_records.m2m_history_model(field))
        statements = self.connection.ops.sequence_reset_sql(no_style(), tables)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
