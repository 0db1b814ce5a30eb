from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.statements.api.serializers import StatementSerializer
from apps.statements.filtersets import StatementFilterSet
from apps.statements.models import Statement, StatementCitation


@extend_schema_view(
    list=extend_schema(summary="List statements"),
    retrieve=extend_schema(summary="Get a statement"),
    create=extend_schema(summary="Create a statement with its citations"),
    update=extend_schema(summary="Replace a statement and its citations"),
    partial_update=extend_schema(summary="Change some of a statement's fields"),
    destroy=extend_schema(summary="Delete a statement"),
)
class StatementViewSet(viewsets.ModelViewSet):
    queryset = (
        Statement.objects.select_related("speaker")
        .prefetch_related(
            "about", "topics", Prefetch("citations", queryset=StatementCitation.objects.select_related("source"))
        )
        .order_by("-said_on", "-id")
    )
    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
