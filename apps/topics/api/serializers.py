from rest_framework import serializers

from apps.core.api.fields import BriefRelatedField
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


class TopicSerializer(serializers.ModelSerializer):
    """A subject facts are filed under, addressed by slug; topics may nest under a parent."""

    parent = TopicField(required=False, allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "parent", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate_parent(self, parent):
        # Walk up from the new parent: meeting this topic would make a cycle.
        node = parent
        while node is not None and self.instance is not None:
            if node.pk == self.instance.pk:
                raise serializers.ValidationError("A topic cannot be nested under itself or its own descendants.")
            node = node.parent
        return parent
