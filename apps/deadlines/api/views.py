from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.core.query.ordering import model_order
from apps.deadlines.api.calendar import MAX_EVENTS, ICalendarRenderer, deadlines_calendar
from apps.deadlines.api.serializers import DeadlineSerializer
from apps.deadlines.filtersets import DeadlineFilterSet
from apps.deadlines.models import Deadline, DeadlineCitation
from apps.statements.models import Statement

# What a calendar entry shows besides the deadline: its actors, topics and sources.
CALENDAR_LINKS = ("actors", "topics", Prefetch("citations", queryset=DeadlineCitation.objects.select_related("source")))


@crud_schema(
    "deadline",
    "deadlines",
    create="Create a deadline with its citations",
    update="Replace a deadline and its citations",
)
class DeadlineViewSet(VersionedViewSet):
    queryset = Deadline.objects.prefetch_related(
        "actors",
        "topics",
        Prefetch("citations", queryset=DeadlineCitation.objects.select_related("source")),
        Prefetch("evidence_statements", queryset=Statement.objects.select_related("speaker")),
        "evidence_events",
    )
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilterSet

    @extend_schema(
        operation_id="deadlines_calendar",
        summary="Deadlines as an iCalendar feed",
        description="The deadlines matching the filters (as in the list), as `text/calendar` to subscribe a "
        "calendar app to: one all-day event per deadline, its UID stable and its SEQUENCE its version; a "
        f"month- or year-precision deadline spans its month or year and says so. At most {MAX_EVENTS:,} "
        "deadlines, soonest first.",
        filters=True,
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="An iCalendar file.")},
    )
    def calendar(self, request, *args, **kwargs):
        """``GET deadlines/calendar.ics`` (routed in ``factsapi/api_urls.py``: the router would add a slash)."""
        # The calendar shows no evidence: only the links it writes are fetched.
        deadlines = self.filter_queryset(self.get_queryset()).prefetch_related(None).prefetch_related(*CALENDAR_LINKS)
        if not deadlines.query.order_by:
            deadlines = deadlines.order_by(*model_order(Deadline))
        deadlines = deadlines[:MAX_EVENTS]
        body = deadlines_calendar(
            deadlines, item_url=lambda d: request.build_absolute_uri(f"/api/v1/deadlines/{d.pk}/")
        )
        return Response(body, headers={"Content-Disposition": 'inline; filename="deadlines.ics"'})

    @classmethod
    def calendar_view(cls):
        return cls.as_view(
            {"get": "calendar"},
            renderer_classes=[ICalendarRenderer],
            pagination_class=None,
            basename="deadline",
            detail=False,
        )
