from django.db.models import Prefetch

from apps.core.api.schema import crud_schema
from apps.core.api.views import VersionedViewSet
from apps.events.api.serializers import EventSerializer
from apps.events.filtersets import EventFilterSet
from apps.events.models import Event, EventCitation


@crud_schema(
    "event", "events", create="Create an event with its citations", update="Replace an event and its citations"
)
class EventViewSet(VersionedViewSet):
    queryset = Event.objects.prefetch_related(
        "participants", "topics", Prefetch("citations", queryset=EventCitation.objects.select_related("source"))
    )
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
