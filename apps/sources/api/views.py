from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.sources.api.serializers import SourceSerializer
from apps.sources.filtersets import SourceFilterSet
from apps.sources.models import Source


@extend_schema_view(
    list=extend_schema(summary="List sources"),
    retrieve=extend_schema(summary="Get a source"),
    create=extend_schema(summary="Create a source"),
    update=extend_schema(summary="Replace a source"),
    partial_update=extend_schema(summary="Change some of a source's fields"),
    destroy=extend_schema(summary="Delete a source no fact cites"),
)
class SourceViewSet(viewsets.ModelViewSet):
    queryset = Source.objects.order_by("-published_on", "id")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
