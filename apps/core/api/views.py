"""The resource viewset every collection uses: the one write path, composed from the mixins of
``apps.core.api.mixins`` (``as_of``, history and revert, export, conditional requests); and the
changes feed's viewset."""

from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.response import Response

from apps.core.api.filters import list_query
from apps.core.api.mixins.as_of import AsOfMixin, recorded_rows
from apps.core.api.mixins.conditional import ConditionalMixin
from apps.core.api.mixins.export import ExportMixin
from apps.core.api.mixins.history import HistoryMixin
from apps.core.api.pagination import FeedPagination
from apps.core.api.reader import Plan
from apps.core.api.serializers import ChangeSerializer
from apps.core.filtersets import ChangeFilterSet
from apps.core.models import Change
from apps.core.record import services


class VersionedViewSet(AsOfMixin, HistoryMixin, ExportMixin, ConditionalMixin, viewsets.ModelViewSet):
    # CRUD through apps.core.record.services, reads as values by the list's plan; the rest is in the mixins.
    # (A comment, not a docstring: drf-spectacular would print a docstring as every operation's description.)

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
        # The filters and the page size first: a request the list refuses is its 400, never a 304.
        rows = list_query(self, self.get_queryset())
        if self.paginator is not None:
            self.paginator.get_page_size(request)
        if (known := self.from_record(request)) is not None:
            return known
        fetch = self.row_reader()
        if fetch is None or self.paginator is None:
            return super().list(request, *args, **kwargs)
        self.paginator.fetch = fetch
        page = self.paginate_queryset(rows)
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
