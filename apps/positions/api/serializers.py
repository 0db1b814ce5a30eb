from apps.actors.api.serializers import ActorField
from apps.core.api.serializers import FactSerializer
from apps.core.record.versions import added
from apps.positions.models import Position
from apps.sources.api.serializers import citations_field
from apps.statements.api.serializers import evidence_field
from apps.topics.api.serializers import TopicField


class PositionSerializer(FactSerializer):
    """An actor's stance on a topic from `valid_from` to `valid_to`.

    A null `valid_to` means still held; a null `valid_from`, that the source does not say since when.
    """

    actor = ActorField()
    topic = TopicField()
    citations = citations_field()
    evidence = evidence_field()

    # Representation 2 added ``evidence`` (a7a44b6): older versions read it as two empty lists.
    upcasters = (added("evidence", {"statements": [], "events": []}),)

    class Meta:
        model = Position
        fields = [
            "id", "actor", "topic", "stance", "summary", "valid_from", "valid_to", "date_precision", "certainty",
            "evidence", "citations", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]
