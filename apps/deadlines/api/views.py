from django.db.models import Prefetch

from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.deadlines.api.serializers import DeadlineSerializer
from apps.deadlines.filtersets import DeadlineFilterSet
from apps.deadlines.models import Deadline, DeadlineCitation


@crud_schema(
    "deadline",
    "deadlines",
    create="Create a deadline with its citations",
    update="Replace a deadline and its citations",
)
class DeadlineViewSet(VersionedViewSet):
    queryset = Deadline.objects.prefetch_related(
        "actors", "topics", Prefetch("citations", queryset=DeadlineCitation.objects.select_related("source"))
    )
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
