from apps.core.feeds import FilteredAtomFeed
from apps.events.api.views import EventViewSet
from apps.events.filtersets import EventFilterSet


class EventFeed(FilteredAtomFeed):
    """Newest events first (by start), as the list orders them."""

    title = "Factsapi: events"
    description = "What happened, newest first, with the list's filters."
    resource = "events"
    queryset = EventViewSet.queryset
    filterset_class = EventFilterSet

    def item_title(self, event):
        return f"{event.title} ({event.starts_on.isoformat()}, {event.date_precision} precision)"

    def item_description(self, event):
        return f"{event.description} Certainty: {event.certainty}.".strip()
