from django.db.models import Prefetch
from rest_framework import viewsets

from apps.core.api.schema import crud_schema
from apps.deadlines.api.serializers import DeadlineSerializer
from apps.deadlines.filtersets import DeadlineFilterSet
from apps.deadlines.models import Deadline, DeadlineCitation


@crud_schema(
    "deadline",
    "deadlines",
    create="Create a deadline with its citations",
    update="Replace a deadline and its citations",
)
class DeadlineViewSet(viewsets.ModelViewSet):
    queryset = Deadline.objects.prefetch_related(
        "actors", "topics", Prefetch("citations", queryset=DeadlineCitation.objects.select_related("source"))
    ).order_by("due_on", "id")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
