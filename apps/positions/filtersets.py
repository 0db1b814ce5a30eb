from apps.actors.models import Actor
from apps.core.api.filters import (
    ChoicesFilter,
    FactFilterSet,
    IsoDateFilter,
    SlugsFilter,
    StrictBooleanFilter,
    ordering_filter,
)
from apps.positions.choices import Stance
from apps.positions.models import Position
from apps.statements.filtersets import EvidenceFilterSet
from apps.topics.models import Topic


class PositionFilterSet(EvidenceFilterSet, FactFilterSet):
    date_span = ("valid_from", "valid_to")
    search_fields = ("summary", "actor__name", "actor__aliases", "topic__name")

    actor = SlugsFilter(queryset=Actor.objects.all(), help_text="Actor slug; repeat to match any of several.")
    topic = SlugsFilter(queryset=Topic.objects.all(), help_text="Topic slug.")
    stance = ChoicesFilter(choices=Stance.choices)
    valid_at = IsoDateFilter(
        method="filter_valid_at", label="Valid at", help_text="Positions held on this date (YYYY-MM-DD)."
    )
    current = StrictBooleanFilter(
        field_name="valid_to", lookup_expr="isnull", help_text="`true`: still held (no end date); `false`: ended."
    )
    ordering = ordering_filter("valid_from", "valid_to", "created_at", "updated_at", relevance=True)

    class Meta:
        model = Position
        fields = ["actor", "topic", "stance", "certainty"]
