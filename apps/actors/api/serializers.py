from rest_framework import serializers

from apps.actors.choices import MatchVia
from apps.actors.models import Actor, Role
from apps.core.api.fields import BriefRelatedField, StrictCharField
from apps.core.api.serializers import VersionedSerializer
from apps.core.choices import DatePrecision


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


class MatchedRoleSerializer(serializers.Serializer):
    """The role a candidate matched through."""

    id = serializers.UUIDField(source="role.id")
    title = serializers.CharField(source="role.title")
    organization = ActorBriefSerializer(allow_null=True, help_text="The state or body the post belongs to.")
    valid_from = serializers.DateField(source="role.valid_from", allow_null=True)
    valid_to = serializers.DateField(source="role.valid_to", allow_null=True, help_text="Null while it is held.")
    date_precision = serializers.ChoiceField(source="role.date_precision", choices=DatePrecision.choices)
    held = serializers.ChoiceField(
        choices=[("held", "held"), ("maybe", "maybe")],
        help_text="`held`: the term covers the date; `maybe`: only its imprecise start or end could "
        "(a term from May 2025 may have begun after 3 May).",
    )


class ActorMatchSerializer(serializers.Serializer):
    """One candidate of a name match: the actor, a score, and why."""

    actor = ActorBriefSerializer()
    score = serializers.FloatField(min_value=0, max_value=100, help_text="0–100; 100 is the name itself.")
    match = serializers.BooleanField(
        help_text="True on the one candidate to take without asking: scored 85 or more and more than 8 ahead "
        "of the next. Never true when the answer is ambiguous."
    )
    via = serializers.ChoiceField(choices=MatchVia.choices, help_text="What matched.")
    explanation = serializers.CharField(help_text="Why, in words: the name, alias or role that matched.")
    role = MatchedRoleSerializer(allow_null=True, help_text="The role matched through, when `via` names one.")


class ActorMatchResultSerializer(serializers.Serializer):
    """The candidates for one name, best first."""

    name = serializers.CharField(source="query", help_text="The name as asked.")
    on = serializers.DateField(help_text="The date roles were read on (today when not given).")
    ambiguous = serializers.BooleanField(
        help_text="True when two or more candidates are within 8 points of each other: offer them as choices."
    )
    match = serializers.SerializerMethodField(help_text="The slug of the candidate with `match` true, or null.")
    results = ActorMatchSerializer(source="candidates", many=True)

    def get_match(self, result) -> str | None:
        return result.best.slug if result.best else None
