from rest_framework import serializers

from apps.actors.api.serializers import ActorField
from apps.core.api.serializers import FactSerializer
from apps.core.record.versions import added
from apps.deadlines.models import Deadline
from apps.sources.api.serializers import citations_field
from apps.statements.api.serializers import evidence_field
from apps.topics.api.serializers import TopicField


class DeadlineSerializer(FactSerializer):
    """A date by which something is due, its `status` and, once known, its `outcome`."""

    actors = ActorField(many=True, required=False)
    topics = TopicField(many=True, required=False)
    citations = citations_field()
    evidence = evidence_field()

    # Derived from the calendar: it changes without a write, so it is no change of the deadline.
    volatile_fields = ("overdue",)
    # Representation 2 added ``evidence`` (a7a44b6): older versions read it as two empty lists.
    upcasters = (added("evidence", {"statements": [], "events": []}),)
    overdue = serializers.SerializerMethodField(
        help_text="True while `status` is still `upcoming` after the last day `due_on` can mean at its "
        "precision (a month-precision deadline is overdue once its month is over). Derived: send `status` "
        "to change it."
    )

    class Meta:
        model = Deadline
        fields = [
            "id", "title", "kind", "description", "due_on", "date_precision", "status", "overdue", "outcome",
            "certainty",
            "actors", "topics", "evidence", "citations", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "version", "created_at", "updated_at"]

    def get_overdue(self, deadline) -> bool:
        return deadline.is_overdue()
