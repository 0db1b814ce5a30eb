from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.sources.api.serializers import SourceSerializer
from apps.sources.filtersets import SourceFilterSet
from apps.sources.models import Source


@crud_schema("source", "sources", destroy="Delete a source no fact cites")
class SourceViewSet(VersionedViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
