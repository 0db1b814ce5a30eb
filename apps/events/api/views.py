from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from apps.events.api.serializers import EventSerializer
from apps.events.filtersets import EventFilterSet
from apps.events.models import Event, EventCitation


@extend_schema_view(
    list=extend_schema(summary="List events"),
    retrieve=extend_schema(summary="Get an event"),
    create=extend_schema(summary="Create an event with its citations"),
    update=extend_schema(summary="Replace an event and its citations"),
    partial_update=extend_schema(summary="Change some of an event's fields"),
    destroy=extend_schema(summary="Delete an event"),
)
class EventViewSet(viewsets.ModelViewSet):
    queryset = Event.objects.prefetch_related(
        "participants", "topics", Prefetch("citations", queryset=EventCitation.objects.select_related("source"))
    ).order_by("-starts_on", "-id")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
