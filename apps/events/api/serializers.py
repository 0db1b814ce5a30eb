from rest_framework import serializers

from apps.actors.api.serializers import ActorField
from apps.core.api.fields import BriefRelatedField
from apps.core.api.serializers import FactSerializer
from apps.events.models import Event
from apps.sources.api.serializers import citations_field
from apps.topics.api.serializers import TopicField


class EventSerializer(FactSerializer):
    """Something that happened, from `starts_on` to `ends_on` (null for one day), with its citations."""

    participants = ActorField(many=True, required=False)
    topics = TopicField(many=True, required=False)
    citations = citations_field()

    class Meta:
        model = Event
        fields = [
            "id", "title", "kind", "description", "starts_on", "ends_on", "date_precision", "certainty",
            "location", "participants", "topics", "citations", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]


class EventBriefSerializer(serializers.ModelSerializer):
    """An event as embedded in other resources (as evidence)."""

    class Meta:
        model = Event
        fields = ["id", "title", "kind", "starts_on", "ends_on", "date_precision"]


class EventField(BriefRelatedField):
    """An event: written as its id, read as ``{id, title, kind, starts_on, ends_on, date_precision}``."""

    brief_serializer = EventBriefSerializer

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Event.objects.all())
        super().__init__(slug_field="id", **kwargs)
