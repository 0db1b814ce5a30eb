from apps.actors.models import Actor
from apps.core.api.filters import ChoicesFilter, FactFilterSet, SlugsFilter, ordering_filter
from apps.events.choices import EventKind
from apps.events.models import Event
from apps.topics.models import Topic


class EventFilterSet(FactFilterSet):
    date_field = "starts_on"
    search_fields = ("title", "description", "location")

    participant = SlugsFilter(
        field_name="participants",
        queryset=Actor.objects.all(),
        help_text="Participant slug; repeat for any of several.",
    )
    topic = SlugsFilter(field_name="topics", queryset=Topic.objects.all(), help_text="Topic slug.")
    kind = ChoicesFilter(choices=EventKind.choices)
    ordering = ordering_filter("starts_on", "created_at", "updated_at", relevance=True)

    class Meta:
        model = Event
        fields = ["participant", "topic", "kind", "certainty"]
