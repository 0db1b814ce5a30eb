"""Keyset ("cursor") pagination: flat cost at any depth, a total order, no COUNT.

DRF's CursorPagination keys on the first ordering field only and skips ties with
an OFFSET, so pages over many equal dates get slower the deeper they go. Here
the cursor holds the last row's value for *every* ordering field, the primary
key included as tie-breaker, and the next page is one indexed range query:

    WHERE (a > :a) OR (a = :a AND b > :b) OR (a = :a AND b = :b AND id > :id)

NULLs sort last in both directions, so nullable fields (a position's
``valid_to``) page correctly on SQLite and PostgreSQL alike.
"""

import base64
import binascii
import json
import operator
from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


@dataclass(frozen=True)
class Cursor:
    ordering: tuple[str, ...]
    values: tuple[str | None, ...]
    backwards: bool


class KeysetPagination(BasePagination):
    default_page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.model = queryset.model
        self.ordering = self.get_ordering(queryset)
        cursor = self.decode_cursor(request)

        ordered = queryset.order_by(*self.order_expressions(reverse=bool(cursor and cursor.backwards)))
        if cursor is not None:
            ordered = ordered.filter(self.keyset_condition(cursor))
        rows = list(ordered[: self.page_size + 1])
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if cursor is not None and cursor.backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, has_more
        else:
            self.has_next, self.has_previous = has_more, cursor is not None
        self.page = rows
        return rows

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
        names = {field.lstrip("-") for field in ordering}
        if not names & {"pk", pk}:
            ordering.append(f"-{pk}" if ordering and ordering[-1].startswith("-") else pk)
        return tuple(field.replace("pk", pk) if field.lstrip("-") == "pk" else field for field in ordering)

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
                None if value is None else self.model._meta.get_field(name.lstrip("-")).to_python(value)
                for name, value in zip(self.ordering, cursor.values, strict=True)
            ]
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, DjangoValidationError):
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor. Use the next or previous link of a page, unchanged."]},
                code="invalid",
            ) from None
        return cursor

    # -- query building ----------------------------------------------------

    def is_nullable(self, field: str) -> bool:
        return self.model._meta.get_field(field.lstrip("-")).null

    def order_expressions(self, *, reverse: bool):
        expressions = []
        for field in self.ordering:
            expression = F(field.lstrip("-"))
            descending = field.startswith("-") != reverse
            # NULLs last going forwards, hence first walking backwards. Only nullable columns get
            # the modifier: on NOT NULL ones it would stop PostgreSQL from using a plain index.
            nulls = ({"nulls_first": True} if reverse else {"nulls_last": True}) if self.is_nullable(field) else {}
            expressions.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
        return expressions

    def keyset_condition(self, cursor: Cursor) -> Q:
        """Rows strictly after (or, walking back, before) the cursor in the total order."""
        branches = []
        ties = Q()
        for field, value in zip(self.ordering, self.cursor_values, strict=True):
            name = field.lstrip("-")
            towards_larger = field.startswith("-") == cursor.backwards
            if value is None:
                # NULLs sort last: nothing lies past them going forwards; every non-NULL lies before them.
                if cursor.backwards:
                    branches.append(ties & Q(**{f"{name}__isnull": False}))
                ties &= Q(**{f"{name}__isnull": True})
                continue
            beyond = Q(**{f"{name}__{'gt' if towards_larger else 'lt'}": value})
            if self.is_nullable(field) and not cursor.backwards:
                beyond |= Q(**{f"{name}__isnull": True})
            branches.append(ties & beyond)
            ties &= Q(**{name: value})
        condition = reduce(operator.or_, branches)
        # The OR-ed branches alone give PostgreSQL no range to seek to, so it would read every row
        # before the cursor. A redundant bound on the leading field lets the index scan start at
        # the cursor (when NULLs cannot lie ahead of it, which the bound would exclude).
        leading, value = self.ordering[0], self.cursor_values[0]
        if value is not None and (cursor.backwards or not self.is_nullable(leading)):
            towards_larger = leading.startswith("-") == cursor.backwards
            condition &= Q(**{f"{leading.lstrip('-')}__{'gte' if towards_larger else 'lte'}": value})
        return condition

    # -- response ------------------------------------------------------------

    def encode_cursor(self, row, *, backwards: bool) -> str:
        values = []
        for field in self.ordering:
            model_field = self.model._meta.get_field(field.lstrip("-"))
            value = getattr(row, model_field.attname)
            values.append(None if value is None else model_field.value_to_string(row))
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
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

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


def check_ordering_fields(model, fields) -> None:
    """Fail fast at import time if a view offers ordering on a field that cannot be keyset-paged."""
    for name in fields:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"{model.__name__} has no field {name!r} to order by") from None
        if field.is_relation and not field.many_to_one:
            raise ValueError(f"{model.__name__}.{name} cannot be an ordering field")
