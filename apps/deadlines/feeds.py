from apps.core.feeds import FilteredAtomFeed
from apps.deadlines.api.calendar import summary
from apps.deadlines.api.views import DeadlineViewSet
from apps.deadlines.filtersets import DeadlineFilterSet


class DeadlineFeed(FilteredAtomFeed):
    """Deadlines, soonest first, as the list orders them."""

    title = "Factsapi: deadlines"
    description = "What is due when, soonest first, with the list's filters."
    resource = "deadlines"
    queryset = DeadlineViewSet.queryset
    filterset_class = DeadlineFilterSet

    def item_title(self, deadline):
        return f"{summary(deadline)}: {deadline.get_status_display().lower()}" + (
            " (overdue)" if deadline.is_overdue() else ""
        )

    def item_description(self, deadline):
        return f"Due {deadline.due_on.isoformat()} ({deadline.date_precision} precision). {deadline.description}"
