from rest_framework import serializers

from apps.core.api.fields import BriefRelatedField, StrictCharField
from apps.core.api.serializers import VersionedSerializer
from apps.core.models import MAX_CITATIONS, MAX_TEXT
from apps.sources.models import Source


class SourceBriefSerializer(serializers.ModelSerializer):
    """A source as embedded in citations."""

    class Meta:
        model = Source
        fields = ["id", "title", "publisher", "url"]


class SourceField(BriefRelatedField):
    """A source: written as its UUID, read as ``{id, title, publisher, url}``."""

    brief_serializer = SourceBriefSerializer

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Source.objects.all())
        super().__init__(slug_field="id", **kwargs)


class SourceSerializer(VersionedSerializer):
    """A document facts are taken from. `published_on` has the precision in `published_on_precision`."""

    class Meta:
        model = Source
        fields = [
            "id", "title", "url", "publisher", "author", "kind", "published_on", "published_on_precision",
            "retrieved_on", "language", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def validate_url(self, value):
        # "" means no URL: store NULL, which may repeat, not "", which the unique constraint allows once.
        return value or None


class CitationListSerializer(serializers.ListSerializer):
    """A fact's citations, their sources looked up in one query."""

    def to_internal_value(self, data):
        if isinstance(data, list):
            self.child.fields["source"].resolve([item.get("source") for item in data if isinstance(item, dict)])
        return super().to_internal_value(data)


class CitationSerializer(serializers.Serializer):
    """One source backing a fact: which source, a short verbatim excerpt, where in it."""

    # A declared field named like Field.source: DRF's metaclass takes it off the class, so no clash.
    source = SourceField()  # type: ignore[assignment]
    excerpt = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")
    locator = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    note = StrictCharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")

    class Meta:
        list_serializer_class = CitationListSerializer


def citations_field():
    """The ``citations`` of a fact: required on create, at least one."""
    return CitationSerializer(
        many=True, allow_empty=False, max_length=MAX_CITATIONS, help_text="At least one source backing this fact."
    )
