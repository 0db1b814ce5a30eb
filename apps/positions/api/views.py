from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.positions.api.serializers import PositionSerializer
from apps.positions.filtersets import PositionFilterSet
from apps.positions.models import Position, PositionCitation


@extend_schema_view(
    list=extend_schema(summary="List positions (stances over time)"),
    retrieve=extend_schema(summary="Get a position"),
    create=extend_schema(summary="Create a position with its citations"),
    update=extend_schema(summary="Replace a position and its citations"),
    partial_update=extend_schema(summary="Change some of a position's fields"),
    destroy=extend_schema(summary="Delete a position"),
)
class PositionViewSet(viewsets.ModelViewSet):
    queryset = (
        Position.objects.select_related("actor", "topic")
        .prefetch_related(Prefetch("citations", queryset=PositionCitation.objects.select_related("source")))
        .order_by("-valid_from", "-id")
    )
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
