"""An actor's timeline: the facts about one actor from five tables, merged into one keyset-paged order.

Each kind of entry is a *branch*: a query over one table restricted to the actor
that yields ``(key, type, id, date, precision)``. The branches are combined with
``UNION ALL`` into one query, sorted by ``(key, type, id)`` and cut at the page
size, so a page costs one query for its keys whatever the number of branches,
then one query (plus its prefetches) per kind of fact on the page for the data.

``key`` is the entry's date with an undated entry sorted as the largest date
when the order is oldest first and as the smallest when it is newest first, so
undated entries come last either way and every comparison is plain. The cursor
holds the last entry's ``(key, type, id)``; within a branch ``type`` is a
constant, so the keyset condition there reduces to a range on ``(key, id)``.

With ``as_of`` the branches read the versions current then
(``apps.core.record.versions.current_at``) and their historical link tables, and an
entry's data is the stored version: the fact exactly as the API returned it then.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, DateField, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from apps.actors.models import Role
from apps.core.models import VersionedModel
from apps.core.query.keyset import Known, seek
from apps.core.record.versions import current_at, version_data
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.statements.models import Statement
from apps.timelines.choices import EntryType

# (oldest first, newest first): the date an undated entry sorts as, so that it comes last.
UNDATED_KEY = (datetime.date.max, datetime.date.min)


@dataclass(frozen=True)
class Cursor:
    """The position after (or, walking back, before) one entry in the total order."""

    key: datetime.date
    type: str
    id: str


@dataclass(frozen=True)
class Query:
    """What one page asks for (already validated)."""

    actor_id: int
    newest_first: bool = False
    types: frozenset[str] = frozenset(EntryType.values)
    topics: tuple = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    as_of: datetime.datetime | None = None


@dataclass(frozen=True)
class Branch:
    kind: str
    model: type[VersionedModel]
    date_field: str
    # The rows of the branch's table that concern the actor (``versions``: the table holds versions).
    concerns: Callable[[int, bool], Q]
    # The topic link (a foreign key or a many-to-many field), or None: the branch has no topics.
    topic_field: str | None
    # Rows that have such an entry at all (a position has an end entry only once it ended).
    exists: Q | None = None


def linked(model, field_name: str, values, *, versions: bool) -> Q:
    """Rows of ``model`` (or of its versions) linked through many-to-many ``field_name`` to any of ``values``.

    A subquery on the link table, not a join, so no row is repeated and no DISTINCT is needed.
    """
    field = model._meta.get_field(field_name)
    target = field.m2m_reverse_field_name()
    if versions:
        links = model._history_records.m2m_history_model(field)
        return Q(pk__in=links.objects.filter(**{f"{target}__in": values}).values("history_id"))
    through = field.remote_field.through
    return Q(pk__in=through.objects.filter(**{f"{target}__in": values}).values(f"{field.m2m_field_name()}_id"))


def _fk(name: str) -> Callable[[int, bool], Q]:
    return lambda actor_id, versions: Q(**{f"{name}_id": actor_id})


def _m2m(model, name: str) -> Callable[[int, bool], Q]:
    return lambda actor_id, versions: linked(model, name, [actor_id], versions=versions)


def _speaker_or_about(actor_id: int, versions: bool) -> Q:
    return Q(speaker_id=actor_id) | linked(Statement, "about", [actor_id], versions=versions)


BRANCHES = [
    Branch(EntryType.STATEMENT, Statement, "said_on", _speaker_or_about, "topics"),
    Branch(EntryType.EVENT, Event, "starts_on", _m2m(Event, "participants"), "topics"),
    Branch(EntryType.POSITION_START, Position, "valid_from", _fk("actor"), "topic"),
    Branch(EntryType.POSITION_END, Position, "valid_to", _fk("actor"), "topic", Q(valid_to__isnull=False)),
    Branch(EntryType.DEADLINE, Deadline, "due_on", _m2m(Deadline, "actors"), "topics"),
    Branch(EntryType.ROLE_START, Role, "valid_from", _fk("actor"), None),
    Branch(EntryType.ROLE_END, Role, "valid_to", _fk("actor"), None, Q(valid_to__isnull=False)),
]


def branch_rows(branch: Branch, query: Query) -> QuerySet | None:
    """The branch's rows for ``query``, unsorted, or None when the query leaves the branch out."""
    if branch.kind not in query.types or (query.topics and branch.topic_field is None):
        return None
    versions = query.as_of is not None
    rows = current_at(branch.model, query.as_of) if versions else branch.model._base_manager.all()
    rows = rows.filter(branch.concerns(query.actor_id, versions))
    if branch.exists is not None:
        rows = rows.filter(branch.exists)
    if query.topics and branch.topic_field is not None:
        field = branch.model._meta.get_field(branch.topic_field)
        if field.many_to_many:
            rows = rows.filter(linked(branch.model, branch.topic_field, query.topics, versions=versions))
        else:
            rows = rows.filter(**{f"{branch.topic_field}_id__in": query.topics})
    if query.date_from is not None:
        rows = rows.filter(**{f"{branch.date_field}__gte": query.date_from})
    if query.date_to is not None:
        rows = rows.filter(**{f"{branch.date_field}__lte": query.date_to})
    return rows


def keyset_condition(branch_type: str, cursor: Cursor, *, larger: bool) -> Q:
    """The entries of a branch of type ``branch_type`` strictly beyond ``cursor`` in ``(key, type, id)`` order,
    towards larger keys or smaller. ``type`` is constant in a branch, so it is compared in Python: a branch
    whose type sorts after the cursor's continues at the cursor's key, one before it after it."""
    keys: list[tuple[str | Known, Any, bool]] = [
        ("_key", cursor.key, larger),
        (Known(branch_type), cursor.type, larger),
        ("id", cursor.id, larger),
    ]
    return seek(keys, leading_bound=False)


def page_keys(query: Query, *, cursor: Cursor | None, larger: bool, limit: int) -> list[tuple]:
    """Up to ``limit`` entries ``(key, type, id, date, precision)`` after ``cursor``, walking towards larger
    keys (``larger``) or smaller ones, in that walking order. One query."""
    undated = UNDATED_KEY[1] if query.newest_first else UNDATED_KEY[0]
    parts = []
    for branch in BRANCHES:
        rows = branch_rows(branch, query)
        if rows is None:
            continue
        rows = rows.annotate(
            _key=Coalesce(F(branch.date_field), Value(undated, output_field=DateField())),
            _type=Value(str(branch.kind), output_field=CharField()),
            _id=F("id"),
            _date=F(branch.date_field),
            _precision=F("date_precision"),
        )
        if cursor is not None:
            rows = rows.filter(keyset_condition(branch.kind, cursor, larger=larger))
        parts.append(rows.order_by().values_list("_key", "_type", "_id", "_date", "_precision"))
    if not parts:
        return []
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    order = ["_key", "_type", "_id"] if larger else ["-_key", "-_type", "-_id"]
    return list(combined.order_by(*order)[:limit])


def versions_data(model, ids: list, as_of: datetime.datetime) -> dict[str, dict]:
    """The API JSON of facts ``ids`` of ``model`` as their versions current at ``as_of`` recorded it,
    in today's representation."""
    rows = current_at(model, as_of).filter(id__in=ids).only("id", "data", "data_schema")
    return {str(row.id): version_data(row) for row in rows}


def summary(entry_type: str, data: dict) -> str:
    """One line a reader can scan, from the fact's API JSON (live and ``as_of`` alike)."""
    if entry_type == EntryType.STATEMENT:
        text = f"“{data['text']}”" if data["kind"] == "direct_quote" else data["text"]
        return shorten(f"{data['speaker']['name']}: {text}")
    if entry_type == EntryType.EVENT:
        return shorten(data["title"])
    # A start the source does not date is no beginning: the entry says the actor holds it (and comes last).
    if entry_type in (EntryType.POSITION_START, EntryType.POSITION_END):
        verb = _verb(entry_type == EntryType.POSITION_START, data["valid_from"], ("Begins", "Holds", "Ends"))
        return shorten(f"{verb}: {data['actor']['name']} {data['stance']} ({data['topic']['name']}): {data['summary']}")
    if entry_type == EntryType.DEADLINE:
        return shorten(f"Due: {data['title']} ({data['status']})")
    verb = _verb(entry_type == EntryType.ROLE_START, data["valid_from"], ("Takes up", "Holds", "Leaves"))
    organization = f" ({data['organization']['name']})" if data.get("organization") else ""
    return shorten(f"{verb}: {data['title']}{organization}")


def _verb(start: bool, valid_from, verbs: tuple[str, str, str]) -> str:
    begins, holds, ends = verbs
    if not start:
        return ends
    return begins if valid_from else holds


def shorten(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
