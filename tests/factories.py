"""Builders for test data: each makes a valid object through the write path; keyword arguments override.

Every builder goes through ``apps.core.record.services``, as every writer must, so each
object starts with one "created" version like real data.
"""

import datetime
import itertools

from apps.actors.models import Actor, Role
from apps.core.record import services
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic

_seq = itertools.count(1)


def make_fact(model, *, cited: bool, citations=None, user=None, **fields):
    """A fact with ``citations`` (default: one of a new source); ``cited=False``: a bare row, to test the rules."""
    if not cited:
        return model.objects.create(**fields)
    return services.create(model, data=fields, citations=citations or [{"source": make_source()}], user=user)


def make_actor(**fields) -> Actor:
    n = next(_seq)
    fields.setdefault("slug", f"actor-{n}")
    fields.setdefault("name", f"Actor {n}")
    fields.setdefault("kind", "person")
    return services.create(Actor, data=fields)


def make_topic(**fields) -> Topic:
    n = next(_seq)
    fields.setdefault("slug", f"topic-{n}")
    fields.setdefault("name", f"Topic {n}")
    return services.create(Topic, data=fields)


def make_source(**fields) -> Source:
    n = next(_seq)
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("kind", "news")
    fields.setdefault("publisher", "Example Wire")
    fields.setdefault("published_on", datetime.date(2026, 1, 14))
    return services.create(Source, data=fields)


def make_role(**fields) -> Role:
    fields.setdefault("actor", make_actor())
    fields.setdefault("title", "Envoy")
    return services.create(Role, data=fields)


def make_event(*, cited: bool = True, citations=None, **fields) -> Event:
    n = next(_seq)
    fields.setdefault("title", f"Event {n}")
    fields.setdefault("kind", "meeting")
    fields.setdefault("starts_on", datetime.date(2025, 8, 15))
    fields.setdefault("certainty", "confirmed")
    return make_fact(Event, cited=cited, citations=citations, **fields)


def make_statement(*, cited: bool = True, citations=None, **fields) -> Statement:
    fields.setdefault("speaker", make_actor())
    fields.setdefault("text", f"Statement {next(_seq)}")
    fields.setdefault("kind", "paraphrase")
    fields.setdefault("said_on", datetime.date(2026, 1, 14))
    fields.setdefault("certainty", "confirmed")
    return make_fact(Statement, cited=cited, citations=citations, **fields)


def make_position(*, cited: bool = True, citations=None, **fields) -> Position:
    fields.setdefault("actor", make_actor())
    fields.setdefault("topic", make_topic())
    fields.setdefault("stance", "demands")
    fields.setdefault("summary", f"Position {next(_seq)}")
    fields.setdefault("certainty", "confirmed")
    return make_fact(Position, cited=cited, citations=citations, **fields)


def make_deadline(*, cited: bool = True, citations=None, **fields) -> Deadline:
    fields.setdefault("title", f"Deadline {next(_seq)}")
    fields.setdefault("kind", "treaty_expiry")
    fields.setdefault("due_on", datetime.date(2026, 2, 4))
    fields.setdefault("certainty", "confirmed")
    return make_fact(Deadline, cited=cited, citations=citations, **fields)
