"""Keyset ("cursor") paging, written once: the cursor, the seek past it, the page and its links.

DRF's CursorPagination keys on the first ordering field only and skips ties with
an OFFSET, so pages over many equal dates get slower the deeper they go. Here
the cursor holds the last row's value for *every* key of a total order, the
primary key included as tie-breaker, and the next page is one range query an
index can start at:

    WHERE a <= :a AND ((a < :a) OR (a = :a AND id < :id))      -- ordering -a, -id

NULLs sort last in both directions. A nullable field is sorted by a key that is
never NULL, ``COALESCE(field, <the end the NULLs go to>)`` (``apps.core.query.ordering``),
so the comparisons stay plain and an expression index on that key serves the
query on PostgreSQL and SQLite alike.

Used by every list, history and the changes feed (``apps.core.api.pagination``),
the export's batches (``apps.core.bulk.export``) and the actor timeline, whose keys are
its own (``apps.timelines``): they share the cursor's form (``encode_cursor``),
the seek (``seek``) and the page with its links (``Page``).
"""

import base64
import binascii
import datetime
import json
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import F, Q, QuerySet, Value
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.query.ordering import link_alias, null_sentinel, sort_key

CURSOR_PARAM = "cursor"


class InvalidCursor(ValueError):
    """A cursor this server did not write for this order (the API answers a 400 naming ``cursor``)."""


# A cursor: ``{"o": <the order it was made for>, "v": [<the last row's key values, as text>], "b": <backwards>}``
# as compact JSON in unpadded URL-safe base64. Clients treat it as opaque; links keep it unchanged.


def encode_cursor(ordering: Any, values: Sequence[str], *, backwards: bool) -> str:
    payload = json.dumps({"o": ordering, "v": list(values), "b": backwards}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")


def decode_cursor(raw: str, ordering: Any) -> tuple[list, bool]:
    """The key values (as text) and direction of a cursor made for ``ordering``; ``InvalidCursor`` otherwise."""
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
        if data["o"] != ordering:
            raise InvalidCursor("cursor was made for another ordering")
        values, backwards = data["v"], data["b"]
        if not isinstance(values, list):
            raise InvalidCursor("cursor values are a list")
        return values, bool(backwards)
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error) as exc:
        raise InvalidCursor(str(exc)) from None


def as_text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass(frozen=True)
class Known:
    """A key whose value is the same on every row a query reads (the timeline's entry type within one of
    its branches): compared here, in Python, rather than in SQL."""

    value: Any


def seek(keys: Sequence[tuple[str | Known, Any, bool]], *, leading_bound: bool = True) -> Q:
    """Rows strictly beyond a position in a total order: ``keys`` are ``(name, the position's value,
    towards larger values)`` in sort order, the last one unique.

    The OR-ed branches alone give the database no range to seek to, so it would read every row before
    the position; ``leading_bound`` adds the redundant bound on the leading key that lets an index scan
    start there.
    """
    branches: list[list[tuple[str, Any]]] = []  # each a conjunction of (lookup, value)
    ties: list[tuple[str, Any]] = []
    for name, value, larger in keys:
        if isinstance(name, Known):
            if name.value == value:
                continue  # tied on this key: the next one decides
            if (name.value > value) == larger:
                # Beyond on this key: so is every row tied on the keys before it, which with the last branch
                # (beyond on the key before) is a bound that includes its value: ``> v OR = v`` is ``>= v``.
                if not branches:
                    return Q()
                *rest, (lookup, bound) = branches[-1]
                branches[-1] = [*rest, (lookup + "e", bound)]
            break  # beyond or behind on this key, the keys after it decide nothing
        branches.append([*ties, (f"{name}__{'gt' if larger else 'lt'}", value)])
        ties.append((name, value))
    if not branches:
        return Q(pk__in=[])
    condition = reduce(operator.or_, (reduce(operator.and_, (Q(**{k: v}) for k, v in b)) for b in branches))
    if not leading_bound:
        return condition
    name, value, larger = keys[0]
    assert isinstance(name, str)
    return Q(**{f"{name}__{'gte' if larger else 'lte'}": value}) & condition


@dataclass
class Page:
    """A page cut from the rows read after a cursor (one more than the page, to know whether more follow),
    in the list's order."""

    rows: list
    has_next: bool
    has_previous: bool

    @classmethod
    def cut(cls, rows: list, size: int, *, backwards: bool, after_cursor: bool) -> "Page":
        """``rows`` as read (walking back: in reverse order), at most ``size + 1`` of them."""
        has_more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
            return cls(rows, has_next=True, has_previous=has_more)
        return cls(rows, has_next=has_more, has_previous=after_cursor)

    def next_link(self, base_url: str, cursor_of: Callable[..., str], *, polled: bool = False) -> str | None:
        """The link after the last row. ``polled`` (a feed): never null, on an empty page the same position."""
        if not self.rows or not (self.has_next or polled):
            return base_url if polled else None
        return replace_query_param(base_url, CURSOR_PARAM, cursor_of(self.rows[-1], backwards=False))

    def previous_link(self, base_url: str, cursor_of: Callable[..., str]) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(base_url, CURSOR_PARAM)
        return replace_query_param(base_url, CURSOR_PARAM, cursor_of(self.rows[0], backwards=True))


@dataclass(frozen=True)
class Key:
    name: str  # what the query sorts by: a column, a link's copy of it, or an alias of a never-NULL sort key
    field: models.Field  # parses the cursor's value; its ``attname`` is the row's attribute
    descending: bool


@dataclass(frozen=True)
class Keyset:
    """The total order of a model's list: its ``ordering`` made total with the primary key.

    ``linked``: sorted by the copies of the fact's columns in links a plan joined
    (``apps.core.models.SortedLink``), whose index then yields the page in order.
    ``constants``: annotations the same on every row (a relevance every match shares), not sorted by, as
    sorting by a constant would make the database sort every match; the cursor still carries them.
    """

    model: type[models.Model]
    ordering: tuple[str, ...]
    annotations: frozenset[str] = frozenset()
    constants: frozenset[str] = frozenset()
    linked: bool = False

    @classmethod
    def of(cls, queryset: QuerySet) -> "Keyset":
        """How ``queryset`` is sorted (set by the view or ``?ordering=``), made total by the primary key."""
        model = queryset.model
        annotations = queryset.query.annotations
        ordering = [str(field) for field in (queryset.query.order_by or model._meta.ordering)]
        pk = model._meta.pk.name
        ordering = [f"{'-' if f.startswith('-') else ''}{pk}" if f.lstrip("-") == "pk" else f for f in ordering]
        if pk not in {field.lstrip("-") for field in ordering}:
            ordering.append(f"-{pk}" if ordering and ordering[-1].startswith("-") else pk)
        return cls(
            model,
            tuple(ordering),
            frozenset(annotations),
            frozenset(name for name, value in annotations.items() if isinstance(value, Value)),
        )

    def on_links(self) -> "Keyset":
        return replace(self, linked=True)

    def fields(self) -> Iterator[tuple[models.Field, bool]]:
        """(model field, descending) per ordering entry."""
        for entry in self.ordering:
            name = entry.lstrip("-")
            field: Any = self.annotation_field(name) or self.model._meta.get_field(name)
            yield field, entry.startswith("-")

    def key_fields(self) -> list[Key]:
        """Per ordering entry, the name the query sorts by: nullable fields by an alias of their sort key."""
        return [
            Key(f"_sort_{field.name}" if field.null else self.column(field), field, descending)
            for field, descending in self.fields()
        ]

    def column(self, field: models.Field) -> str:
        return link_alias(field.name) if self.linked else field.name

    def annotation_field(self, name: str) -> models.Field | None:
        """A float annotation the list sorts by (``relevance``), as a never-NULL field for the cursor."""
        if name not in self.annotations:
            return None
        field = models.FloatField()
        field.set_attributes_from_name(name)
        return field

    def served_by(self, columns: set[str]) -> bool:
        """Whether every key is one of ``columns`` (a link's copies of the fact's columns)."""
        return all(field.name in columns for field, _ in self.fields())

    def aliases(self) -> dict:
        """The never-NULL sort key of each nullable key field, by the name ``key_fields`` gives it."""
        return {
            key.name: sort_key(self.column(key.field), type(key.field), descending=key.descending)
            for key in self.key_fields()
            if key.field.null
        }

    def sorted_keys(self) -> list[Key]:
        return [key for key in self.key_fields() if key.name not in self.constants]

    def order_by(self, *, reverse: bool = False) -> list:
        return [F(key.name).asc() if key.descending == reverse else F(key.name).desc() for key in self.sorted_keys()]

    def after(self, values: list, *, backwards: bool = False) -> Q:
        """Rows strictly after (or, walking back, before) the position ``values`` in this order."""
        keys = [(k.name, value, k.descending == backwards) for k, value in zip(self.key_fields(), values, strict=True)]
        return seek([key for key in keys if key[0] not in self.constants])

    def sort(self, queryset: QuerySet, after: list | None = None, *, backwards: bool = False) -> QuerySet:
        """``queryset`` in this order (walking back: reversed), from beyond the position ``after``."""
        ordered = queryset.alias(**self.aliases()).order_by(*self.order_by(reverse=backwards))
        return ordered if after is None else ordered.filter(self.after(after, backwards=backwards))

    # -- the cursor --------------------------------------------------------------

    def position(self, row) -> list:
        """The row's values of the keys (its attributes), a NULL as the value it sorts as."""
        return [
            null_sentinel(type(key.field), descending=key.descending) if value is None else value
            for key in self.key_fields()
            for value in [getattr(row, key.field.attname)]
        ]

    def encode(self, row, *, backwards: bool) -> str:
        return encode_cursor(list(self.ordering), [as_text(value) for value in self.position(row)], backwards=backwards)

    def decode(self, raw: str) -> tuple[list, bool]:
        """The typed position a cursor holds and its direction; ``InvalidCursor`` for any other cursor."""
        texts, backwards = decode_cursor(raw, list(self.ordering))
        try:
            if len(texts) != len(self.ordering):
                raise InvalidCursor("one value per key")
            # Parse each value with its model field so comparisons are typed on every database.
            values = [key.field.to_python(text) for key, text in zip(self.key_fields(), texts, strict=True)]
            if None in values:
                raise InvalidCursor("cursor values are never null")
            if any("\x00" in str(value) for value in values):
                raise InvalidCursor("no text column holds NUL (PostgreSQL would refuse the query)")
            # In UTC, as the server wrote it: PostgreSQL refuses offsets beyond ±15:59 (OverflowError: invalid).
            values = [
                value.astimezone(datetime.UTC) if isinstance(value, datetime.datetime) and value.tzinfo else value
                for value in values
            ]
        except (ValueError, TypeError, UnicodeError, OverflowError, DjangoValidationError) as exc:
            raise InvalidCursor(str(exc)) from None
        return values, backwards
