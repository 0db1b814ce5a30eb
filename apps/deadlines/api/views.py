from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.deadlines.api.serializers import DeadlineSerializer
from apps.deadlines.filtersets import DeadlineFilterSet
from apps.deadlines.models import Deadline, DeadlineCitation


@extend_schema_view(
    list=extend_schema(summary="List deadlines"),
    retrieve=extend_schema(summary="Get a deadline"),
    create=extend_schema(summary="Create a deadline with its citations"),
    update=extend_schema(summary="Replace a deadline and its citations"),
    partial_update=extend_schema(summary="Change some of a deadline's fields"),
    destroy=extend_schema(summary="Delete a deadline"),
)
class DeadlineViewSet(viewsets.ModelViewSet):
    queryset = Deadline.objects.prefetch_related(
        "actors", "topics", Prefetch("citations", queryset=DeadlineCitation.objects.select_related("source"))
    ).order_by("due_on", "id")
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet
