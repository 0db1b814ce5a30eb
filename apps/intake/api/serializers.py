from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.api.serializers import VersionedSerializer
from apps.intake.models import MAX_ARTICLE, Article, Draft


class DraftSerializer(serializers.ModelSerializer):
    """A proposed fact: its fields as the resource's API takes them, the span of the article it came from
    (`start`–`end`, characters of the article's `text`, and the `excerpt` itself), the `rule` that made it
    and the `cues` it read (speaker phrase and match score, date phrase, certainty cue)."""

    excerpt = serializers.SerializerMethodField(help_text="The span of the article's text the draft came from.")
    fields = serializers.JSONField(help_text="The proposed fact, in the request format of its resource.")  # type: ignore[assignment]
    cues = serializers.JSONField(help_text="What the rule read.")
    duplicate_of: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="A statement already holding this speaker and quote."
    )
    fact = serializers.SerializerMethodField(help_text="URL of the fact made from it, once accepted.")

    class Meta:
        model = Draft
        fields = [
            "id", "article", "kind", "state", "fields", "start", "end", "excerpt", "locator", "rule", "cues",
            "duplicate_of", "fact", "reviewed_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_excerpt(self, draft) -> str:
        return draft.span_text

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_fact(self, draft) -> str | None:
        if not draft.fact_id:
            return None
        resource = {
            "statement": "statements",
            "event": "events",
            "deadline": "deadlines",
            "actor": "actors",
            "position": "positions",
        }
        path = f"/api/v1/{resource[draft.kind]}/{draft.fact_id}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ExclusionSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    reason = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    """An article pasted for intake, with the drafts extracted from it and what was left out, and why.

    `text` may be HTML: it is reduced to plain text, which is what is stored and what spans index into.
    The server never fetches `url`."""

    serializer_field_mapping = VersionedSerializer.serializer_field_mapping
    text = StrictCharField(max_length=MAX_ARTICLE, help_text="The article, plain text or HTML.")
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, help_text="Recorded, never fetched.")
    drafts = DraftSerializer(many=True, read_only=True)
    exclusions = ExclusionSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id", "title", "publisher", "author", "kind", "published_on", "published_on_precision", "url",
            "language", "text", "source", "drafts", "exclusions", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "source", "drafts", "exclusions", "created_at", "updated_at"]


class AcceptSerializer(serializers.Serializer):
    """Optional changes to the draft's fields before it is accepted (the draft is then `edited`)."""

    fields = serializers.DictField(  # type: ignore[assignment]
        required=False,
        default=dict,
        help_text="Field values replacing the draft's, in the resource's request format.",
    )
