from django.db.models import Prefetch

from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.statements.api.serializers import StatementSerializer
from apps.statements.filtersets import StatementFilterSet
from apps.statements.models import Statement, StatementCitation


@crud_schema(
    "statement",
    "statements",
    create="Create a statement with its citations",
    update="Replace a statement and its citations",
)
class StatementViewSet(VersionedViewSet):
    queryset = Statement.objects.select_related("speaker").prefetch_related(
        "about", "topics", Prefetch("citations", queryset=StatementCitation.objects.select_related("source"))
    )
    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
