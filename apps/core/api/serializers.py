"""Serializer bases: they parse and present; every write goes through ``apps.core.record.services``."""

from django.db import models
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.core.api.fields import StrictCharField, StrictSlugField, StrictURLField
from apps.core.models import Change
from apps.core.record import services


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
        citations = validated_data.pop("citations", None)
        return services.create(self.Meta.model, data=validated_data, citations=citations, user=user)

    def update(self, instance, validated_data):
        user = validated_data.pop("user", None)
        expected_version = validated_data.pop("expected_version", None)
        citations = validated_data.pop("citations", None)
        return services.update(
            instance, data=validated_data, citations=citations, user=user, expected_version=expected_version
        )


class FactSerializer(VersionedSerializer):
    """A fact with its citations."""

    def get_extra_kwargs(self):
        # Certainty is stated, never assumed: a client that omits it gets a 400, not "confirmed".
        extra = super().get_extra_kwargs()
        extra["certainty"] = {**extra.get("certainty", {}), "required": True}
        return extra


# "ChangeEntry", not "Change": a generated client names the object it builds after its class, and a
# local ``change`` overwrote the field of that name (openapi-python-client's code failed mypy --strict).
@extend_schema_serializer(component_name="ChangeEntry")
class ChangeSerializer(serializers.ModelSerializer):
    """One entry of the changes feed: which item changed, how, and where to read it."""

    id = serializers.CharField(source="object_id", help_text="The item's public id: slug or UUID.")
    url = serializers.SerializerMethodField(help_text="The item now (410 Gone once deleted).")
    version_url = serializers.SerializerMethodField(help_text="This version, with the item as it then was.")

    class Meta:
        model = Change
        fields = ["resource", "id", "version", "change", "recorded_at", "url", "version_url"]
        read_only_fields = fields

    def item_path(self, change) -> str:
        return f"/api/v1/{change.resource}/{change.object_id}/"

    def get_url(self, change) -> str:
        return self.context["request"].build_absolute_uri(self.item_path(change))

    def get_version_url(self, change) -> str:
        return self.context["request"].build_absolute_uri(f"{self.item_path(change)}history/{change.version}/")
