from rest_framework import serializers

from apps.actors.models import Actor, Role
from apps.core.api.fields import BriefRelatedField, StrictCharField
from apps.core.api.serializers import VersionedSerializer


class ActorBriefSerializer(serializers.ModelSerializer):
    """An actor as embedded in other resources."""

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind"]


class ActorField(BriefRelatedField):
    """An actor: written as its slug, read as ``{slug, name, kind}``."""

    brief_serializer = ActorBriefSerializer

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Actor.objects.all())
        super().__init__(slug_field="slug", **kwargs)


class ActorSerializer(VersionedSerializer):
    """A person, state, organization or group, addressed by slug."""

    aliases = serializers.ListField(
        child=StrictCharField(max_length=200), max_length=50, required=False, help_text="Other names the actor goes by."
    )

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "kind",
            "aliases",
            "description",
            "country",
            "wikidata_id",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]


class RoleSerializer(VersionedSerializer):
    """A post an actor holds over a span of time; `valid_to` is null while it is held."""

    actor = ActorField()
    organization = ActorField(required=False, allow_null=True)

    class Meta:
        model = Role
        fields = [
            "id", "actor", "title", "organization", "valid_from", "valid_to", "date_precision",
            "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]
