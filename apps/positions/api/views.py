from django.db.models import Prefetch

from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.positions.api.serializers import PositionSerializer
from apps.positions.filtersets import PositionFilterSet
from apps.positions.models import Position, PositionCitation
from apps.statements.models import Statement


@crud_schema(
    "position",
    "positions",
    list="List positions (stances over time)",
    create="Create a position with its citations",
    update="Replace a position and its citations",
)
class PositionViewSet(VersionedViewSet):
    queryset = Position.objects.select_related("actor", "topic").prefetch_related(
        Prefetch("citations", queryset=PositionCitation.objects.select_related("source")),
        Prefetch("evidence_statements", queryset=Statement.objects.select_related("speaker")),
        "evidence_events",
    )
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
