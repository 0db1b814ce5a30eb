"""Keyset ("cursor") pagination of every list: flat cost at any depth, a total order, no COUNT.

The keyset itself (the cursor, the seek past it, the page and its links) is ``apps.core.query.keyset``; the
query of a page is planned from the list's filters by ``apps.core.query.listing``. This is DRF's side of it:
the request's parameters, the response and the schema.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from apps.core.query.keyset import CURSOR_PARAM, InvalidCursor, Keyset, Page
from apps.core.query.listing import ListQuery


def cursor_error() -> ValidationError:
    return ValidationError(
        {CURSOR_PARAM: ["Invalid cursor. Use the next or previous link of a page, unchanged."]}, code="invalid"
    )


class KeysetPagination(BasePagination):
    default_page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = CURSOR_PARAM

    # How the page's rows are read: model instances by default; a list view reading values sets a plan's
    # ``fetch`` (``apps.core.api.reader``), which returns rows whose key columns are attributes too.
    fetch = None

    # A filter on more targets than this is matched by its subquery rather than read target by target.
    max_seeks = 20

    def paginate_queryset(self, queryset, request, view=None):
        """A page of a list (its ``ListQuery``, ``apps.core.query.listing``) or of any queryset."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        query = ListQuery.of(queryset)
        self.keyset = Keyset.of(query.queryset)
        after, backwards = self.decode_cursor(request)
        limit = self.page_size + 1
        ordered = query.plan(self.keyset, after=after, backwards=backwards, limit=limit, max_seeks=self.max_seeks)
        page = Page.cut(self.read_rows(ordered[:limit]), self.page_size, backwards=backwards, after_cursor=bool(after))
        self.page, self.has_next, self.has_previous = page.rows, page.has_next, page.has_previous
        return self.page

    def read_rows(self, window) -> list:
        """The rows of a sliced queryset: model instances, or what ``fetch`` makes of them, with the
        cursor's columns kept as attributes."""
        if self.fetch is None:
            return list(window)
        return self.fetch(window, [key.field.attname for key in self.keyset.key_fields()])

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

    def decode_cursor(self, request) -> tuple[list | None, bool]:
        """The position (typed key values) the ``cursor`` parameter holds and its direction; a 400 for a
        cursor this server did not write for this list's order."""
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None, False
        try:
            return self.keyset.decode(raw)
        except InvalidCursor:
            raise cursor_error() from None

    # -- response ------------------------------------------------------------

    def page_links(self) -> Page:
        return Page(self.page, self.has_next, self.has_previous)

    def get_next_link(self):
        return self.page_links().next_link(self.base_url, self.keyset.encode)

    def get_previous_link(self):
        return self.page_links().previous_link(self.base_url, self.keyset.encode)

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


class FeedPagination(KeysetPagination):
    """Keyset pages of a feed that grows at its end: ``next`` is never null.

    On the last page ``next`` is the cursor after its last entry (or, on an empty
    page, the same position): the link to poll later for what comes next.
    """

    def get_next_link(self):
        return self.page_links().next_link(self.base_url, self.keyset.encode, polled=True)
