from rest_framework import serializers

from apps.actors.api.serializers import ActorBriefSerializer, ActorField
from apps.core.api.fields import BriefRelatedField
from apps.core.api.serializers import FactSerializer
from apps.events.api.serializers import EventField
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


class StatementBriefSerializer(serializers.ModelSerializer):
    """A statement as embedded in other resources (as evidence): who said what, when."""

    speaker = ActorBriefSerializer()

    class Meta:
        model = Statement
        fields = ["id", "speaker", "kind", "text", "said_on", "date_precision"]


class StatementField(BriefRelatedField):
    """A statement: written as its id, read as ``{id, speaker, kind, text, said_on, date_precision}``."""

    brief_serializer = StatementBriefSerializer

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Statement.objects.all())
        super().__init__(slug_field="id", **kwargs)


class EvidenceSerializer(serializers.Serializer):
    """The statements and events a position or deadline rests on.

    Written as lists of ids, read with each item embedded in brief. A list left
    out of a write is kept as it is (on create: empty); a list sent replaces it.
    """

    statements = StatementField(many=True, required=False, source="evidence_statements")
    events = EventField(many=True, required=False, source="evidence_events")


def evidence_field() -> EvidenceSerializer:
    """A fact's ``evidence`` object; its lists are the fact's ``evidence_statements`` and ``evidence_events``."""
    return EvidenceSerializer(
        source="*",
        required=False,
        help_text="Statements and events this rests on: ids on write, embedded in brief on read.",
    )
