from apps.actors.models import Actor
from apps.core.api.filters import ChoicesFilter, FactFilterSet, SlugsFilter, StrictBooleanFilter, ordering_filter
from apps.deadlines.choices import DeadlineKind, DeadlineStatus
from apps.deadlines.models import Deadline, overdue_condition
from apps.events.models import Event
from apps.statements.models import Statement
from apps.topics.models import Topic


class DeadlineFilterSet(FactFilterSet):
    date_field = "due_on"
    search_fields = ("title", "description", "outcome")

    actor = SlugsFilter(field_name="actors", queryset=Actor.objects.all(), help_text="Actor slug.")
    topic = SlugsFilter(field_name="topics", queryset=Topic.objects.all(), help_text="Topic slug.")
    status = ChoicesFilter(choices=DeadlineStatus.choices)
    kind = ChoicesFilter(choices=DeadlineKind.choices)
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="Overdue",
        help_text="`true`: still upcoming though past due; `false`: the others.",
    )
    evidence_statement = SlugsFilter(
        field_name="evidence_statements",
        to_field_name="id",
        queryset=Statement.objects.all(),
        help_text="Statement id: deadlines that cite it as evidence; repeat to match any of several.",
    )
    evidence_event = SlugsFilter(
        field_name="evidence_events",
        to_field_name="id",
        queryset=Event.objects.all(),
        help_text="Event id: deadlines that cite it as evidence; repeat to match any of several.",
    )
    ordering = ordering_filter("due_on", "created_at", "updated_at")

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_condition()) if value else qs.exclude(overdue_condition())

    class Meta:
        model = Deadline
        fields = ["actor", "topic", "status", "kind", "certainty"]
