"""The resource viewset every collection uses: the one write path, versions, ``as_of`` and ETags."""

import datetime
import gzip
import hashlib
import json
import threading
from contextlib import closing
from functools import cached_property
from typing import ClassVar

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from apps.core.api import freshness
from apps.core.api.conditional import if_match_tags, last_modified_for
from apps.core.api.errors import Conflict, Gone, PreconditionFailed
from apps.core.api.filters import list_query
from apps.core.api.freshness import code_fingerprint
from apps.core.api.pagination import FeedPagination
from apps.core.api.reader import Plan, Row
from apps.core.api.serializers import PATCH_HELP, PATCH_SCHEMA, ChangeSerializer
from apps.core.bulk.export import csv_lines, flatten_item, ndjson_line, read_snapshot, stream_rows
from apps.core.choices import ChangeKind, ChangeReason
from apps.core.filtersets import ChangeFilterSet
from apps.core.http.compression import accepts_gzip
from apps.core.models import Change
from apps.core.record import services
from apps.core.record.versions import current_at, history_model, row_patch, upcast, version_data

# The request header a write names its reason in (README "What kind of change").
REASON_HEADER = "Change-Reason"


def parse_as_of(raw: str) -> datetime.datetime:
    # An unescaped "+" in a query string arrives as a space: "…T12:00:00 02:00".
    raw = raw.strip().replace(" ", "+")
    try:
        # A bare date is refused rather than guessed: its start and its end are both plausible.
        value = parse_datetime(raw) if "T" in raw.upper() else None
    except ValueError:
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {"as_of": ["Use an ISO 8601 date and time, e.g. 2026-01-17T12:00:00Z."]}, code="invalid"
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        # PostgreSQL takes offsets up to ±15:59 only; UTC is what the database compares anyway.
        return value.astimezone(datetime.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 is before the first representable moment
        raise exceptions.ValidationError({"as_of": ["Out of the range of dates."]}, code="invalid") from None


def iso(moment: datetime.datetime | None) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if moment else "an unknown time"


def recorded_rows(queryset, extra) -> list[Row]:
    """Version rows (an ``as_of`` page) as the JSON each recorded, in today's representation
    (``apps.core.record.versions.version_data``), read as values. The cursor's columns are kept."""
    history = queryset.model
    rows = queryset.values("history_id", "data", "data_schema", *extra)
    return [
        Row(upcast(history.instance_type, row["data"], row["data_schema"]), row)
        if row["data"]
        else Row(version_data(history.objects.get(history_id=row["history_id"])), row)
        for row in rows
    ]


class VersionDataSerializer(serializers.BaseSerializer):
    """A version row shown as the resource it recorded, in today's representation."""

    def to_representation(self, instance):
        return version_data(instance)


class VersionListSerializer(serializers.ListSerializer):
    """A page of versions, newest first: the version before each one is read in one query for the patches."""

    def to_representation(self, data):
        rows = list(data)
        have = {(row.id, row.version): row for row in rows}
        wanted = {row.version - 1 for row in rows if (row.id, row.version - 1) not in have and row.version > 1}
        if rows and wanted:
            table = type(rows[0]).objects
            have.update({(row.id, row.version): row for row in table.filter(id=rows[0].id, version__in=wanted)})
        self.child.previous = have
        return [self.child.to_representation(row) for row in rows]


class VersionSerializer(serializers.Serializer):
    """One version of a resource: who changed what, when, and the resource as it then was."""

    previous: dict | None = None  # (id, version) → version row, set by the list serializer for its page

    class Meta:
        list_serializer_class = VersionListSerializer

    version = serializers.IntegerField(help_text="1 for the first version, +1 for each change.")
    recorded_at = serializers.DateTimeField(source="history_date")
    recorded_by = serializers.CharField(
        source="history_user.username", allow_null=True, default=None, help_text="Username, or null (fixtures)."
    )
    change = serializers.ChoiceField(choices=ChangeKind.choices)
    reason = serializers.ChoiceField(
        choices=ChangeReason.choices,
        allow_null=True,
        help_text="Why: `new` (first record), `update` (the world changed), `correction` (our record was wrong), "
        "`retraction` (it should never have been published); null for versions recorded before reasons were kept.",
    )
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Fields that differ from the previous version."
    )
    # A declared field named like Serializer.data: DRF's metaclass takes it off the class, so no clash.
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The resource as the API returned it at this version, in today's representation."
    )
    patch = serializers.SerializerMethodField(help_text=PATCH_HELP)

    def get_data(self, row) -> dict:
        return version_data(row)

    @extend_schema_field(PATCH_SCHEMA)
    def get_patch(self, row) -> list[dict]:
        previous = self.previous if self.previous is not None else {}
        key = (row.id, row.version - 1)
        if key not in previous and row.version > 1:
            previous[key] = type(row).objects.filter(id=row.id, version=row.version - 1).first()
        return row_patch(previous.get(key), row)


class ExportRenderer(BaseRenderer):
    """A bulk export's media type; an error (a dict) is written as its JSON problem body."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data).encode()


class NDJSONRenderer(ExportRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"


class CSVRenderer(ExportRenderer):
    media_type = "text/csv"
    format = "csv"


class NDJSONBytesRenderer(NDJSONRenderer):
    """The same NDJSON for ``Accept: application/octet-stream``. The schema lists it beside
    ``application/x-ndjson``, which client generators do not read: they keep the export as bytes rather than
    drop it (openapi-python-client warned and dropped all eight)."""

    media_type = "application/octet-stream"


EXPORT_RENDERERS: dict[str, type[ExportRenderer]] = {"ndjson": NDJSONRenderer, "csv": CSVRenderer}
EXPORT_ALSO: dict[str, list[type[ExportRenderer]]] = {"ndjson": [NDJSONBytesRenderer]}


class ChangePermission(permissions.DjangoModelPermissions):
    """Revert needs the change permission, and the add permission to bring back a deleted row."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class VersionedViewSet(viewsets.ModelViewSet):
    # CRUD through apps.core.record.services, with history, revert, as_of, ETag and If-Match. (A comment, not a
    # docstring: drf-spectacular would print a docstring as every operation's description.)

    version_serializer_class = VersionSerializer

    # -- record time -----------------------------------------------------------

    @cached_property
    def as_of(self) -> datetime.datetime | None:
        raw = self.request.query_params.get("as_of")
        if not raw or self.action not in ("list", "retrieve", "export"):
            return None
        return parse_as_of(raw)

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self):
        if self.as_of is not None:
            return current_at(self.model, self.as_of).order_by(*self.model._meta.ordering)
        return super().get_queryset()

    def get_serializer_class(self):
        if self.as_of is not None:
            return VersionDataSerializer
        return super().get_serializer_class()

    @cached_property
    def plan(self) -> Plan | None:
        """The live rows' read plan (``apps.core.api.reader``); None under ``as_of`` or for a serializer
        the plan cannot read."""
        return Plan.compile(self.get_serializer_class()) if self.as_of is None else None

    def row_reader(self):
        """How pages of this request are read as values: by the plan, as the versions recorded them
        (``as_of``), or None (DRF serializes model instances)."""
        if self.as_of is not None:
            return recorded_rows
        return self.plan.fetch if self.plan is not None else None

    def list(self, request, *args, **kwargs):
        """A page read as values (``row_reader``): the same JSON as DRF's, without a model instance per row."""
        if (known := self.from_record(request)) is not None:
            return known
        fetch = self.row_reader()
        if fetch is None or self.paginator is None:
            return super().list(request, *args, **kwargs)
        self.paginator.fetch = fetch
        page = self.paginate_queryset(list_query(self, self.get_queryset()))
        return self.get_paginated_response([row.data for row in page])

    def retrieve(self, request, *args, **kwargs):
        """An item read by the list's plan: the same JSON (and so the same ETag) as DRF's. A missing,
        deleted (410) or malformed id, and ``as_of``, take DRF's path, which says which it is."""
        if (known := self.from_record(request, item=True)) is not None:
            return known
        plan = self.plan
        if plan is None:
            return super().retrieve(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        try:
            rows = plan.fetch(queryset.filter(**{self.lookup_field: self.lookup_value()})[:1])
        except (DjangoValidationError, ValueError, TypeError):
            rows = []
        if not rows:
            return super().retrieve(request, *args, **kwargs)
        self.check_object_permissions(request, rows[0])
        return Response(rows[0].data)

    def history_lookup(self) -> str:
        """The column the URL's id is matched against, on live and version rows alike."""
        return "id" if self.lookup_field == "pk" else self.lookup_field

    def lookup_value(self) -> str:
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]

    def versions_of_lookup(self):
        """Version rows carrying the URL's id, newest first (empty for a malformed id)."""
        try:
            return list(
                history_model(self.model)
                .objects.filter(**{self.history_lookup(): self.lookup_value()})
                .order_by("-history_date")[:1]
            )
        except DjangoValidationError:
            return []

    def get_object(self):
        if self.as_of is not None:
            try:
                row = self.get_queryset().filter(**{self.history_lookup(): self.lookup_value()}).first()
            except DjangoValidationError:
                row = None
            if row is None:
                raise self.not_recorded_at(self.as_of)
            return row
        try:
            return super().get_object()
        except Http404:
            latest = self.versions_of_lookup()
            if latest and latest[0].change == ChangeKind.DELETED:
                raise self.gone(latest[0]) from None
            raise

    def not_recorded_at(self, when: datetime.datetime) -> exceptions.NotFound:
        """Why the URL's row has no version current at ``when``: not yet recorded, or already deleted."""
        noun = self.model._meta.verbose_name
        try:
            versions = history_model(self.model).objects.filter(**{self.history_lookup(): self.lookup_value()})
            first = versions.order_by("history_date").values_list("history_date", flat=True).first()
            deleted = (
                versions.filter(change=ChangeKind.DELETED, history_date__lte=when)
                .order_by("-history_date")
                .values_list("history_date", flat=True)
                .first()
            )
        except DjangoValidationError:
            first = deleted = None
        if first is None:
            return exceptions.NotFound(f"No {noun} with this id was ever recorded.")
        if first > when:
            return exceptions.NotFound(
                f"This {noun} was first recorded at {iso(first)}, after {iso(when)}: "
                f"the record holds nothing of it before then."
            )
        return exceptions.NotFound(
            f"This {noun} was deleted at {iso(deleted)}; it was not in the record at {iso(when)}."
        )

    def gone(self, row) -> Gone:
        url = self.request.build_absolute_uri(self.history_url(row.id if self.lookup_field == "pk" else row.slug))
        return Gone(
            f"This {self.model._meta.verbose_name} was deleted at {iso(row.history_date)}; its history is at {url}",
            history=url,
        )

    def history_url(self, lookup) -> str:
        basename = self.basename
        return reverse(
            f"{basename}-history", kwargs={"version": "v1", self.lookup_url_kwarg or self.lookup_field: lookup}
        )

    # -- writes ----------------------------------------------------------------

    def expected_version(self, instance) -> int | None:
        """The version ``If-Match`` names, or a 412 when it is not the current one."""
        header = self.request.headers.get("If-Match")
        if not header:
            return None
        tags = if_match_tags(header)
        if "*" in tags:
            return instance.version
        # The version the tag names is what a write would overwrite: a tag of the current version holds even
        # when an actor or source it embeds was renamed since (its ETag then differs in the rest).
        if instance.version not in {freshness.tag_version(tag) for tag in tags}:
            raise PreconditionFailed(
                f"The {self.model._meta.verbose_name} changed since that ETag: it is now at version "
                f"{instance.version}. GET it again and reapply your change.",
                current_version=instance.version,
            )
        return instance.version

    def change_reason(self) -> str | None:
        """The ``Change-Reason`` header: why this write is made (``ChangeReason``); absent: the default rule."""
        header = self.request.headers.get(REASON_HEADER, "").strip().lower()
        if not header:
            return None
        if header not in ChangeReason.values:
            raise exceptions.ValidationError(
                {REASON_HEADER: [f"Use one of {', '.join(ChangeReason.values)}."]}, code="invalid"
            )
        return header

    def perform_create(self, serializer):
        serializer.save(user=self.request.user, reason=self.change_reason())
        self.reload_for_response(serializer)

    def perform_update(self, serializer):
        # If-Match is checked once the body is known to be valid: a malformed body is a 400 either way.
        expected = self.expected_version(serializer.instance)
        serializer.save(user=self.request.user, expected_version=expected, reason=self.change_reason())
        self.reload_for_response(serializer)

    def reload_for_response(self, serializer) -> None:
        """Answer with the row read as a GET reads it: related rows prefetched, a constant number of queries."""
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        reason = self.change_reason()
        services.delete(
            instance, user=self.request.user, expected_version=self.expected_version(instance), reason=reason
        )

    # -- history -----------------------------------------------------------------

    def history_rows(self):
        """Every version of the URL's row, live or deleted; 404 when it never existed."""
        latest = self.versions_of_lookup()
        if not latest:
            raise Http404
        return history_model(self.model).objects.filter(id=latest[0].id).select_related("history_user")

    @action(detail=True, methods=["get"], url_path="history", url_name="history", filter_backends=[])
    def history(self, request, *args, **kwargs):
        rows = self.history_rows().order_by("-version")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.version_serializer_class(page, many=True).data)

    @action(
        detail=True,
        methods=["get"],
        url_path=r"history/(?P<number>[0-9]+)",
        url_name="history-version",
        filter_backends=[],
    )
    def history_version(self, request, *args, number, **kwargs):
        row = self.history_rows().filter(version=int(number)).first()
        if row is None:
            raise Http404
        return Response(self.version_serializer_class(row).data)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"history/(?P<number>[0-9]+)/revert",
        url_name="history-revert",
        permission_classes=[ChangePermission],
        filter_backends=[],
    )
    def revert(self, request, *args, number, **kwargs):
        target = self.history_rows().filter(version=int(number)).first()
        if target is None:
            raise Http404
        live = self.model._base_manager.filter(pk=target.id).exists()
        if not live and not request.user.has_perm(f"{self.model._meta.app_label}.add_{self.model._meta.model_name}"):
            raise exceptions.PermissionDenied()
        try:
            instance = services.revert(
                self.model, target.id, version=int(number), user=request.user, reason=self.change_reason()
            )
        except DjangoValidationError as exc:
            raise Conflict(f"Version {number} cannot be restored: {'; '.join(exc.messages)}", code="conflict") from None
        except ObjectDoesNotExist:
            raise Http404 from None
        instance = self.queryset.get(pk=instance.pk)
        return Response(super().get_serializer_class()(instance, context=self.get_serializer_context()).data)

    # -- bulk export -------------------------------------------------------------

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

    # The batches are closed explicitly: should a row fail to render, the snapshot's transaction ends
    # with the response, not whenever the failed generator happens to be collected.

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

    # -- reads answered from the changes feed (apps.core.api.freshness) ----------

    record_tag: str | None = None  # the ETag the changes feed gives this read, once computed
    shares_page = False  # whether this read's page goes to (and comes from) the shared cache

    def record_etag(self, request, *, item: bool) -> str | None:
        """This read's ETag from the changes feed and the request (one query), or None when it has none:
        a missing or malformed item, an item ``as_of`` a time, the browsable API's HTML."""
        if request.accepted_renderer.format == "api" or (item and self.as_of is not None):
            return None
        version_of = None
        if item:
            field = self.model._meta.get_field(self.history_lookup())
            try:
                value = field.to_python(self.lookup_value())
            except DjangoValidationError:
                return None
            version_of = self.model._base_manager.filter(**{field.attname: value}).values("version")[:1]
        resources = freshness.shown_resources(self.serializer_class)
        last, version = freshness.last_change(resources, version_of=version_of)
        if item and version is None:
            return None
        if item:  # an item holds no links: the same tag at its URL, in a write's reply and after a revert
            digest = freshness.tag_for(self.model.api_resource, value, request.accepted_media_type, last, version)
            return f'"{version}-{digest}"'
        return f'"{freshness.tag_for(request.build_absolute_uri(), request.accepted_media_type, last)}"'

    def from_record(self, request, *, item: bool = False) -> HttpResponse | None:
        """A 304 when the client holds this read's ETag, or the page an anonymous read finds in the shared
        cache under it; None: read and render the page (which ``finalize_response`` then keeps)."""
        if request.method not in ("GET", "HEAD"):
            return None
        tag = self.record_tag = self.record_etag(request, item=item)
        if tag is None:
            return None
        if freshness.matches(request.headers.get("If-None-Match"), tag):
            return HttpResponseNotModified(headers={"ETag": tag})
        # Anonymous reads only: a response to credentials never goes to (or comes from) the shared cache.
        self.shares_page = self.action != "export" and not request.user.is_authenticated and not request.auth
        # A request's own "Cache-Control: no-cache" asks that no stored copy answer it (RFC 9111 §5.2.1.4).
        fresh = "no-cache" in request.headers.get("Cache-Control", "") or "no-cache" in request.headers.get(
            "Pragma", ""
        )
        page = freshness.cached_page(tag) if self.shares_page and not fresh else None
        if page is None:
            return None
        content_type, gzipped, headers = page
        if accepts_gzip(request):  # weak, as ApiGZipMiddleware marks a compressed page's tag
            headers = {**headers, "ETag": f"W/{tag}", "Content-Encoding": "gzip"}
            response = HttpResponse(gzipped, content_type=content_type, headers=headers)
        else:
            headers = {**headers, "ETag": tag}
            response = HttpResponse(gzip.decompress(gzipped), content_type=content_type, headers=headers)
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    # -- headers -----------------------------------------------------------------

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 201) and isinstance(getattr(response, "data", None), dict):
            if self.action in ("update", "partial_update", "revert"):
                # After a write: the tag the next GET of the item will carry, so If-Match can send it back.
                self.record_tag = self.record_etag(request, item=True)
            if self.detail and (last_modified := last_modified_for(response.data)):
                response["Last-Modified"] = last_modified
            patch_vary_headers(response, ["Accept"])
        if response.status_code == 200 and self.record_tag and "ETag" not in response:
            response["ETag"] = self.record_tag
            if self.shares_page and isinstance(response, Response):
                response.render()
                kept = {name: response[name] for name in ("Last-Modified", "Link") if name in response}
                freshness.keep_page(self.record_tag, response.content, response["Content-Type"], kept)
        return response


@extend_schema_view(
    list=extend_schema(
        summary="List changes: the sync feed",
        description="Every version of every resource (created, changed, reverted, deleted), oldest first, in "
        "the order the writes committed, so a poller never skips one. Narrow it with `resource`, `change`, "
        "`reason` and `since`. Each entry says why it was made (`reason`) and carries `patch`, the RFC 6902 "
        "JSON Patch from the version before. Paged like every list, but `next` is never null: on the last "
        "page it is the link to poll later. To be sent changes instead, see `/api/v1/subscriptions/`.",
    )
)
class ChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Change.objects.all()
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    pagination_class = FeedPagination
    permission_classes = [permissions.AllowAny]


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, built once and rendered once per API version, language and format.

    The rendered bytes, their gzip and their ETag live in the shared cache (Redis with ``REDIS_URL``: one
    build for every worker of every server) under a key holding the code's fingerprint, so a deploy
    builds anew; each process also keeps its own copy. Serving it then costs about what a static file
    does: no build, no render, no compression and no hashing of its 1.4 MB per request.

    A process builds under a lock, so concurrent first requests wait for one build instead of each
    making their own (seconds each, under load); ``warm_schema`` builds before the first request
    (gunicorn.conf.py calls it in the master process, whose copy every worker it forks inherits).
    """

    _rendered: ClassVar[dict[str, tuple[bytes, str, str, bytes]]] = {}
    _build_lock = threading.Lock()
    cache_seconds = 7 * 24 * 3600

    def cache_key(self, request, version) -> str:
        return f"schema:{code_fingerprint()}:{version}:{translation.get_language()}:{request.accepted_media_type}"

    @staticmethod
    def pack(content: bytes, content_type: str) -> tuple[bytes, str, str, bytes]:
        """What is cached: the body, its type, its ETag and its gzip (compressed once, at the best level)."""
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        return content, content_type, etag, gzip.compress(content, compresslevel=9, mtime=0)

    def build(self, request, version) -> tuple[bytes, str, str, bytes]:
        """Generate the schema and render it in the negotiated format, packed for the caches."""
        generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
        schema = generator.get_schema(request=request, public=self.serve_public)
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        content = renderer.render(schema, media_type, self.get_renderer_context())
        content = content.encode(renderer.charset or "utf-8") if isinstance(content, str) else content
        return self.pack(content, f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type)

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = self.cache_key(request, version)
        cached = self._rendered.get(key)
        if cached is None:
            with self._build_lock:
                cached = self._rendered.get(key) or cache.get(key)
                if cached is None:
                    cached = self.build(request, version)
                    cache.set(key, cached, self.cache_seconds)
                self._rendered[key] = cached
        content, content_type, etag, gzipped = cached
        headers = {"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"', "ETag": etag}
        response = HttpResponse(content, content_type=content_type, headers=headers)
        patch_vary_headers(response, ["Accept-Encoding"])
        if accepts_gzip(request):
            response.content = gzipped
            response["Content-Encoding"] = "gzip"
            response["ETag"] = f"W/{etag}"
        return response


def warm_schema() -> None:
    """Build and render every API version's schema, YAML and JSON, into this process and the shared cache."""
    from rest_framework.test import APIRequestFactory

    from apps.core.api.versioning import PathVersioning

    view = SchemaView.as_view()
    for version in PathVersioning.allowed_versions:
        for media_type in ("application/vnd.oai.openapi", "application/vnd.oai.openapi+json"):
            request = APIRequestFactory().get(f"/api/{version}/schema/", HTTP_ACCEPT=media_type)
            response = view(request, version=version)
            if response.status_code != 200:
                raise RuntimeError(f"The {version} schema did not build: {response.status_code}")
