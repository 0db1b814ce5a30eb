from rest_framework import serializers

from apps.actors.api.serializers import ActorField
from apps.core.api.serializers import FactSerializer
from apps.events.models import Event
from apps.sources.api.serializers import citations_field
from apps.statements.models import Statement
from apps.topics.api.serializers import TopicField


class StatementSerializer(FactSerializer):
    """Something an actor said: a verbatim `direct_quote` or a `paraphrase`, with its citations.

    `said_on` is null when the source gives no date.
    """

    speaker = ActorField()
    about = ActorField(many=True, required=False, help_text="Actors the statement is about.")
    topics = TopicField(many=True, required=False)
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), allow_null=True, required=False, help_text="The event it was said at."
    )
    citations = citations_field()

    class Meta:
        model = Statement
        fields = [
            "id", "speaker", "text", "kind", "said_on", "date_precision", "certainty", "event", "medium",
            "about", "topics", "assessment", "citations", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]
