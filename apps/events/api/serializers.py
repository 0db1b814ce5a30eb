from apps.actors.api.serializers import ActorField
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
