from rest_framework import serializers

from apps.core.api.fields import BriefRelatedField
from apps.core.api.serializers import VersionedSerializer
from apps.topics.models import Topic


class TopicBriefSerializer(serializers.ModelSerializer):
    """A topic as embedded in other resources."""

    class Meta:
        model = Topic
        fields = ["slug", "name"]


class TopicField(BriefRelatedField):
    """A topic: written as its slug, read as ``{slug, name}``."""

    brief_serializer = TopicBriefSerializer

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Topic.objects.all())
        super().__init__(slug_field="slug", **kwargs)


class TopicSerializer(VersionedSerializer):
    """A subject facts are filed under, addressed by slug; topics may nest under a parent."""

    # A declared field named like Field.parent: DRF's metaclass takes it off the class, so no clash.
    parent = TopicField(required=False, allow_null=True)  # type: ignore[assignment]

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
