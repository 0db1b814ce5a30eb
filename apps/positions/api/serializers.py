from apps.actors.api.serializers import ActorField
from apps.core.api.serializers import FactSerializer
from apps.positions.models import Position
from apps.sources.api.serializers import citations_field
from apps.topics.api.serializers import TopicField


class PositionSerializer(FactSerializer):
    precision_fields = ("valid_from", "valid_to")
    range_fields = ("valid_from", "valid_to")

    actor = ActorField()
    topic = TopicField()
    citations = citations_field()

    class Meta:
        model = Position
        fields = [
            "id", "actor", "topic", "stance", "summary", "valid_from", "valid_to", "date_precision", "certainty",
            "citations", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]
