"""``export/<resource>.ndjson|csv``: every row of the filtered list, streamed in one snapshot."""

from contextlib import closing

from django.http import StreamingHttpResponse
from drf_spectacular.utils import extend_schema

from apps.core.api.filters import list_query
from apps.core.api.mixins.record import RecordViewMixin
from apps.core.api.renderers import EXPORT_ALSO, EXPORT_RENDERERS
from apps.core.bulk.export import csv_lines, flatten_item, ndjson_line, read_snapshot, stream_rows


class ExportMixin(RecordViewMixin):
    """The bulk export of a list: its filters, its rows as the list renders them, to the end."""

    export_format: str | None = None  # set per route by ``export_view``

    @extend_schema(filters=True)
    def export(self, request, *args, **kwargs):
        """Every row of the filtered list, streamed (``GET export/<resource>.ndjson|csv``, see ``export_view``).

        The filters are checked here, so a bad one is the list's 400; the rows are read by the
        response's generator, in one snapshot (``apps.core.bulk.export``).
        """
        rows = list_query(self, self.get_queryset())
        if (known := self.from_record(request)) is not None:
            return known
        fmt = self.export_format or "ndjson"
        body = self.export_csv(rows) if fmt == "csv" else self.export_ndjson(rows)
        response = StreamingHttpResponse(body, content_type=f"{request.accepted_renderer.media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.model.api_resource}.{fmt}"'
        return response

    def export_items(self, rows):
        """Batches of items as the list renders them (under ``as_of``: as the versions recorded them)."""
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        fetch = self.row_reader()
        with read_snapshot():
            for batch in stream_rows(rows, fetch=fetch):
                if fetch is not None:  # as the list reads a page (see ``list``)
                    yield [row.data for row in batch]
                else:
                    yield serializer_class(batch, many=True, context=context).data

    def export_ndjson(self, rows):
        with closing(self.export_items(rows)) as batches:
            for items in batches:
                yield b"".join(ndjson_line(item) for item in items)

    def export_csv(self, rows):
        serializer = self.serializer_class()  # the resource's fields, also under as_of
        with closing(self.export_items(rows)) as batches:
            yield from csv_lines(list(serializer.fields), ([flatten_item(i, serializer) for i in b] for b in batches))

    @classmethod
    def export_view(cls, fmt: str, basename: str):
        return cls.as_view(
            {"get": "export"},
            renderer_classes=[EXPORT_RENDERERS[fmt], *EXPORT_ALSO.get(fmt, [])],
            pagination_class=None,
            basename=basename,
            detail=False,
            export_format=fmt,
        )
