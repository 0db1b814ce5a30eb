"""Serializer bases: they parse and present; every write goes through ``apps.core.record.services``."""

from django.db import models
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from apps.core.api.fields import StrictCharField, StrictSlugField, StrictURLField
from apps.core.models import Change
from apps.core.record import services
from apps.core.record.versions import row_patch, version_pairs

PATCH_HELP = "RFC 6902 JSON Patch from the previous version's item to this version's (from `{}` for a first version)."


# One RFC 6902 operation, inline rather than a component: ``value`` and ``from`` belong to some operations
# only, and every component's fields are marked always present (``schema.require_response_fields``).
PATCH_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["op", "path"],
        "properties": {
            "op": {"type": "string", "enum": ["add", "remove", "replace", "move", "copy", "test"]},
            "path": {"type": "string", "description": "JSON Pointer (RFC 6901) into the item."},
            "value": {"description": "For add, replace and test."},
            "from": {"type": "string", "description": "For move and copy."},
        },
    },
}


class VersionedSerializer(serializers.ModelSerializer):
    """A resource saved through the one write path, whose text fields take JSON strings only.

    Views pass ``user`` (who is writing) and ``expected_version`` (from
    ``If-Match``) to ``save()``; the rules live in the model and the service, whose
    Django ``ValidationError`` the API reports as a 400 naming the field.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
        models.URLField: StrictURLField,
    }

    def create(self, validated_data):
        user = validated_data.pop("user", None)
        validated_data.pop("expected_version", None)
        reason = validated_data.pop("reason", None)
        citations = validated_data.pop("citations", None)
        return services.create(self.Meta.model, data=validated_data, citations=citations, user=user, reason=reason)

    def update(self, instance, validated_data):
        user = validated_data.pop("user", None)
        expected_version = validated_data.pop("expected_version", None)
        reason = validated_data.pop("reason", None)
        citations = validated_data.pop("citations", None)
        return services.update(
            instance,
            data=validated_data,
            citations=citations,
            user=user,
            expected_version=expected_version,
            reason=reason,
        )


class FactSerializer(VersionedSerializer):
    """A fact with its citations."""

    def get_extra_kwargs(self):
        # Certainty is stated, never assumed: a client that omits it gets a 400, not "confirmed".
        extra = super().get_extra_kwargs()
        extra["certainty"] = {**extra.get("certainty", {}), "required": True}
        return extra


class ChangeListSerializer(serializers.ListSerializer):
    """A page of the changes feed: the versions each entry names are read together (``version_pairs``)."""

    def to_representation(self, data):
        entries = list(data.all() if isinstance(data, models.Manager) else data)
        self.child.pairs = version_pairs(entries)
        return [self.child.to_representation(entry) for entry in entries]


# "ChangeEntry", not "Change": a generated client names the object it builds after its class, and a
# local ``change`` overwrote the field of that name (openapi-python-client's code failed mypy --strict).
@extend_schema_serializer(component_name="ChangeEntry")
class ChangeSerializer(serializers.ModelSerializer):
    """One entry of the changes feed: which item changed, how, and where to read it."""

    feed_id = serializers.IntegerField(
        source="pk", help_text="This entry's place in the feed (and the `webhook-id` of its deliveries)."
    )
    id = serializers.CharField(source="object_id", help_text="The item's public id: slug or UUID.")
    url = serializers.SerializerMethodField(help_text="The item now (410 Gone once deleted).")
    version_url = serializers.SerializerMethodField(help_text="This version, with the item as it then was.")

    class Meta:
        model = Change
        fields = [
            "feed_id", "resource", "id", "version", "change", "reason", "recorded_at", "url", "version_url", "patch",
        ]  # fmt: skip
        read_only_fields = fields
        list_serializer_class = ChangeListSerializer

    patch = serializers.SerializerMethodField(help_text=PATCH_HELP)
    pairs: dict | None = None  # set by the list serializer for its page

    @extend_schema_field(PATCH_SCHEMA)
    def get_patch(self, change) -> list[dict]:
        pairs = self.pairs if self.pairs is not None and change.pk in self.pairs else version_pairs([change])
        before, row = pairs.get(change.pk, (None, None))
        return row_patch(before, row) if row is not None else []

    def item_path(self, change) -> str:
        return f"/api/v1/{change.resource}/{change.object_id}/"

    def get_url(self, change) -> str:
        return self.context["request"].build_absolute_uri(self.item_path(change))

    def get_version_url(self, change) -> str:
        return self.context["request"].build_absolute_uri(f"{self.item_path(change)}history/{change.version}/")
