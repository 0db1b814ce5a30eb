from apps.actors.models import Actor
from apps.core.api.filters import ChoicesFilter, FactFilterSet, SlugsFilter, StrictBooleanFilter, ordering_filter
from apps.deadlines.choices import DeadlineKind, DeadlineStatus
from apps.deadlines.models import Deadline, overdue_condition
from apps.statements.filtersets import EvidenceFilterSet
from apps.topics.models import Topic


class DeadlineFilterSet(EvidenceFilterSet, FactFilterSet):
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
    ordering = ordering_filter("due_on", "created_at", "updated_at", relevance=True)

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_condition()) if value else qs.exclude(overdue_condition())

    class Meta:
        model = Deadline
        fields = ["actor", "topic", "status", "kind", "certainty"]
