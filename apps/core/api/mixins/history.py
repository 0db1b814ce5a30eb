"""``…/history/``: every version of an item, one version, revert; and the 410 of a deleted item."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import Conflict, Gone
from apps.core.api.mixins.as_of import iso
from apps.core.api.mixins.record import RecordViewMixin
from apps.core.api.serializers import PATCH_HELP, PATCH_SCHEMA
from apps.core.choices import ChangeKind, ChangeReason
from apps.core.record import services
from apps.core.record.versions import history_model, row_patch, version_data


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


class ChangePermission(permissions.DjangoModelPermissions):
    """Revert needs the change permission, and the add permission to bring back a deleted row."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


class HistoryMixin(RecordViewMixin):
    """Versions of the URL's item, live or deleted, and revert to one of them."""

    version_serializer_class = VersionSerializer

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
        try:
            return super().get_object()
        except Http404:
            latest = self.versions_of_lookup()
            if latest and latest[0].change == ChangeKind.DELETED:
                raise self.gone(latest[0]) from None
            raise

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
