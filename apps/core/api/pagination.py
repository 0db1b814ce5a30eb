"""Keyset ("cursor") pagination: flat cost at any depth, a total order, no COUNT.

DRF's CursorPagination keys on the first ordering field only and skips ties with
an OFFSET, so pages over many equal dates get slower the deeper they go. Here
the cursor holds the last row's value for *every* ordering field, the primary
key included as tie-breaker, and the next page is one range query an index
can start at:

    WHERE a <= :a AND ((a < :a) OR (a = :a AND id < :id))      -- ordering -a, -id

NULLs sort last in both directions. A nullable field is sorted by a key that is
never NULL, ``COALESCE(field, <the end the NULLs go to>)`` (``apps.core.ordering``),
so the comparisons stay plain and an expression index on that key serves the
query on PostgreSQL and SQLite alike.
"""

import base64
import binascii
import datetime
import json
import operator
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import F, Q, Value
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.core.models import LinkedTo, link_alias
from apps.core.ordering import UnionAll, null_sentinel, sort_key


def link_header(links: dict[str, str | None]) -> dict[str, str]:
    """The body's ``next``/``previous`` links as an RFC 8288 ``Link`` header too (``rel="prev"``, its
    registered name), for clients and tools that page by headers."""
    rels = {"next": "next", "previous": "prev"}
    value = ", ".join(f'<{url}>; rel="{rels[name]}"' for name, url in links.items() if url)
    return {"Link": value} if value else {}


@dataclass(frozen=True)
class Cursor:
    ordering: tuple[str, ...]
    values: tuple[str, ...]
    backwards: bool


class KeysetPagination(BasePagination):
    default_page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    # How the page's rows are read: model instances by default; a list view reading values sets a plan's
    # ``fetch`` (``apps.core.api.reader``), which returns rows whose key columns are attributes too.
    fetch = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.read_order(queryset)
        cursor = self.decode_cursor(request)
        backwards = bool(cursor and cursor.backwards)

        queryset = self.seek_links(queryset, backwards)
        keys = self.sort_aliases()
        ordered = queryset.alias(**keys).order_by(*self.order_expressions(reverse=backwards))
        if cursor is not None:
            ordered = ordered.filter(self.keyset_condition(backwards))
        rows = self.read_rows(ordered[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, has_more
        else:
            self.has_next, self.has_previous = has_more, cursor is not None
        self.page = rows
        return rows

    def read_order(self, queryset) -> None:
        """How ``queryset`` is sorted: its total ``ordering``, whether by the copies in links a filter
        joined (``linked``), and which keys are the same on every row (``constants``)."""
        self.model = queryset.model
        self.annotations = set(queryset.query.annotations)
        # Keys that are the same on every row (a relevance every match shares): not sorted by, as sorting
        # by a constant would make the database sort every match; the cursor still carries them.
        self.constants = {name for name, value in queryset.query.annotations.items() if isinstance(value, Value)}
        self.ordering = self.get_ordering(queryset)
        self.linked = all(link_alias(field.name) in self.annotations for field, _ in self.ordered_fields())

    # A filter on more targets than this is matched by its subquery rather than read target by target.
    max_seeks = 20

    def seek_links(self, queryset, backwards: bool):
        """``queryset`` whose filter on several targets of a link (``?topic=a&topic=b``, a ``LinkedTo``)
        is matched instead by each target's next page, read from its links in order, merged.

        The page after the cursor is among the first ``page_size + 1`` facts after it for some target, so
        ``pk IN`` the union of those short reads selects no fewer rows than the subquery would for the
        page, and the outer query sorts at most that many. Each part is the one-target join
        (``SortedLink.join``) with every other filter, its index read from the cursor on. Only for the
        orders the links' copies serve; otherwise the subquery stays.
        """
        where = queryset.query.where
        match = next((child for child in where.children if isinstance(child, LinkedTo)), None)
        if (
            match is None
            or where.connector != "AND"
            or where.negated
            or len(match.targets) > self.max_seeks
            or queryset.query.annotation_select  # a column the rows would need (none here but ``relevance``)
        ):
            return queryset
        base = queryset.all()
        base.query.where.children = [child for child in where.children if child is not match]
        parts = [match.join(base, target) for target in match.targets]
        annotations = set(parts[0].query.annotations)
        if not all(link_alias(field.name) in annotations for field, _ in self.ordered_fields()):
            return queryset
        self.linked = True
        try:
            order = self.order_expressions(reverse=backwards)
            parts = [part.alias(**self.sort_aliases()).order_by(*order) for part in parts]
            if getattr(self, "cursor_values", None):
                parts = [part.filter(self.keyset_condition(backwards)) for part in parts]
        finally:
            self.linked = False
        pages = [part.values("pk")[: self.page_size + 1] for part in parts]
        # The rows by primary key alone: the parts applied every filter, and a filter repeated here could
        # lead SQLite (without statistics) to walk that filter's index, testing each row against the pages.
        rows = self.model._default_manager.filter(pk__in=UnionAll(pages, output_field=self.model._meta.pk))
        rows.query.select_related = queryset.query.select_related
        rows.query.deferred_loading = queryset.query.deferred_loading
        rows._prefetch_related_lookups = queryset._prefetch_related_lookups
        return rows

    def sort_aliases(self) -> dict:
        """The never-NULL sort key of each nullable key field, by the name ``key_fields`` gives it."""
        return {
            name: sort_key(self.column(field), type(field), descending=desc)
            for name, field, desc in self.key_fields()
            if field.null
        }

    def read_rows(self, window) -> list:
        """The rows of a sliced queryset: model instances, or what ``fetch`` makes of them, with the
        cursor's columns kept as attributes."""
        if self.fetch is None:
            return list(window)
        return self.fetch(window, [field.attname for _, field, _ in self.key_fields()])

    # -- request parsing -------------------------------------------------

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.default_page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Must be a whole number from 1 to {self.max_page_size}."]},
                code="invalid",
            )
        return size

    def get_ordering(self, queryset) -> tuple[str, ...]:
        """The queryset's ordering (set by the view or ``?ordering=``), made total with the primary key."""
        ordering = [str(field) for field in (queryset.query.order_by or self.model._meta.ordering)]
        pk = self.model._meta.pk.name
        ordering = [f"{'-' if f.startswith('-') else ''}{pk}" if f.lstrip("-") == "pk" else f for f in ordering]
        if pk not in {field.lstrip("-") for field in ordering}:
            ordering.append(f"-{pk}" if ordering and ordering[-1].startswith("-") else pk)
        return tuple(ordering)

    def ordered_fields(self):
        """(model field, descending) per ordering entry."""
        for entry in self.ordering:
            name = entry.lstrip("-")
            yield self.annotation_field(name) or self.model._meta.get_field(name), entry.startswith("-")

    def key_fields(self):
        """(name to sort by, model field, descending) per ordering entry; nullable fields sort by an alias."""
        for field, descending in self.ordered_fields():
            yield (f"_sort_{field.name}" if field.null else self.column(field)), field, descending

    def column(self, field: models.Field) -> str:
        """The column a key sorts by: the row's own, or its copy in links a filter joined
        (``apps.core.models.SortedLink``), whose index then yields the page in order."""
        return link_alias(field.name) if self.linked else field.name

    def annotation_field(self, name: str) -> models.Field | None:
        """A float annotation the list sorts by (``relevance``), as a never-NULL field for the cursor."""
        if name not in getattr(self, "annotations", ()):
            return None
        field = models.FloatField()
        field.set_attributes_from_name(name)
        return field

    def decode_cursor(self, request) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            cursor = Cursor(tuple(data["o"]), tuple(data["v"]), bool(data["b"]))
            if cursor.ordering != self.ordering or len(cursor.values) != len(self.ordering):
                raise ValueError("cursor was made for another ordering")
            # Parse each value with its model field so comparisons are typed on every database.
            self.cursor_values = [
                field.to_python(value) for (_, field, _), value in zip(self.key_fields(), cursor.values, strict=True)
            ]
            if None in self.cursor_values:
                raise ValueError("cursor values are never null")
            if any("\x00" in str(value) for value in self.cursor_values):
                raise ValueError("no text column holds NUL (PostgreSQL would refuse the query)")
            # In UTC, as the server wrote it: PostgreSQL refuses offsets beyond ±15:59 (OverflowError: invalid).
            self.cursor_values = [
                value.astimezone(datetime.UTC) if isinstance(value, datetime.datetime) and value.tzinfo else value
                for value in self.cursor_values
            ]
        except (ValueError, TypeError, KeyError, UnicodeError, OverflowError, binascii.Error, DjangoValidationError):
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor. Use the next or previous link of a page, unchanged."]},
                code="invalid",
            ) from None
        return cursor

    # -- query building ----------------------------------------------------

    def sorted_keys(self):
        """``key_fields`` without the constants, with the cursor's value for each (when it has one)."""
        values = getattr(self, "cursor_values", None) or [None] * len(self.ordering)
        for (name, field, descending), value in zip(self.key_fields(), values, strict=True):
            if name not in self.constants:
                yield name, field, descending, value

    def order_expressions(self, *, reverse: bool):
        return [F(name).asc() if desc == reverse else F(name).desc() for name, _, desc, _ in self.sorted_keys()]

    def keyset_condition(self, backwards: bool) -> Q:
        """Rows strictly after (or, walking back, before) the cursor in the total order."""
        branches = []
        ties = Q()
        for name, _, descending, value in self.sorted_keys():
            towards_larger = descending == backwards
            branches.append(ties & Q(**{f"{name}__{'gt' if towards_larger else 'lt'}": value}))
            ties &= Q(**{name: value})
        # The OR-ed branches alone give the database no range to seek to, so it would read every
        # row before the cursor; this redundant bound on the leading key lets an index scan start there.
        name, _, descending, value = next(self.sorted_keys())
        bound = Q(**{f"{name}__{'gte' if descending == backwards else 'lte'}": value})
        return bound & reduce(operator.or_, branches)

    # -- response ------------------------------------------------------------

    def encode_cursor(self, row, *, backwards: bool) -> str:
        values = []
        for _, field, descending in self.key_fields():
            value = getattr(row, field.attname)
            if value is None:
                value = null_sentinel(type(field), descending=descending)
            values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
        payload = json.dumps({"o": list(self.ordering), "v": values, "b": backwards}, separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")

    def link(self, row, *, backwards: bool) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, self.encode_cursor(row, backwards=backwards))

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.link(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.link(self.page[0], backwards=True)

    def get_paginated_response(self, data):
        links = {"next": self.get_next_link(), "previous": self.get_previous_link()}
        return Response({**links, "results": data}, headers=link_header(links))

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last page."},
                "previous": {**link, "description": "The previous page, or null on the first page."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a page's `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {self.max_page_size} (default {self.default_page_size}); "
                "a larger value is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class FeedPagination(KeysetPagination):
    """Keyset pages of a feed that grows at its end: ``next`` is never null.

    On the last page ``next`` is the cursor after its last entry (or, on an empty
    page, the same position): the link to poll later for what comes next.
    """

    def get_next_link(self):
        if self.page:
            return self.link(self.page[-1], backwards=False)
        return self.base_url
