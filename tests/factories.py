"""Builders for test data: each makes a valid, saved object; keyword arguments override."""

import datetime
import itertools

from apps.actors.models import Actor, Role
from apps.deadlines.models import Deadline
from apps.events.models import Event
from apps.positions.models import Position
from apps.sources.models import Source
from apps.statements.models import Statement
from apps.topics.models import Topic

_seq = itertools.count(1)


def cite(fact, cited: bool):
    """Give ``fact`` one citation of a new source, as every fact must have, unless ``cited`` is false."""
    if cited:
        fact.citations.create(source=make_source())
    return fact


def make_actor(**fields) -> Actor:
    n = next(_seq)
    fields.setdefault("slug", f"actor-{n}")
    fields.setdefault("name", f"Actor {n}")
    fields.setdefault("kind", "person")
    return Actor.objects.create(**fields)


def make_topic(**fields) -> Topic:
    n = next(_seq)
    fields.setdefault("slug", f"topic-{n}")
    fields.setdefault("name", f"Topic {n}")
    return Topic.objects.create(**fields)


def make_source(**fields) -> Source:
    n = next(_seq)
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("kind", "news")
    fields.setdefault("publisher", "Example Wire")
    fields.setdefault("published_on", datetime.date(2026, 1, 14))
    return Source.objects.create(**fields)


def make_role(**fields) -> Role:
    fields.setdefault("actor", make_actor())
    fields.setdefault("title", "Envoy")
    return Role.objects.create(**fields)


def make_event(*, cited: bool = True, **fields) -> Event:
    n = next(_seq)
    fields.setdefault("title", f"Event {n}")
    fields.setdefault("kind", "meeting")
    fields.setdefault("starts_on", datetime.date(2025, 8, 15))
    return cite(Event.objects.create(**fields), cited)


def make_statement(*, cited: bool = True, **fields) -> Statement:
    fields.setdefault("speaker", make_actor())
    fields.setdefault("text", f"Statement {next(_seq)}")
    fields.setdefault("kind", "paraphrase")
    fields.setdefault("said_on", datetime.date(2026, 1, 14))
    return cite(Statement.objects.create(**fields), cited)


def make_position(*, cited: bool = True, **fields) -> Position:
    fields.setdefault("actor", make_actor())
    fields.setdefault("topic", make_topic())
    fields.setdefault("stance", "demands")
    fields.setdefault("summary", f"Position {next(_seq)}")
    return cite(Position.objects.create(**fields), cited)


def make_deadline(*, cited: bool = True, **fields) -> Deadline:
    fields.setdefault("title", f"Deadline {next(_seq)}")
    fields.setdefault("kind", "treaty_expiry")
    fields.setdefault("due_on", datetime.date(2026, 2, 4))
    return cite(Deadline.objects.create(**fields), cited)
