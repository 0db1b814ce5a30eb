"""Atom feeds of a resource's list, with the list's filters (Django's syndication framework)."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from apps.core.api.errors import problem_response
from apps.core.query.ordering import model_order

# A feed is a window on the newest items, not an export.
FEED_SIZE = 50


class FilteredAtomFeed(Feed):
    """The newest rows of ``queryset`` that ``filterset_class`` selects from the query string.

    Subclasses set ``queryset``, ``filterset_class``, ``title``, ``resource`` and the ``item_*`` methods;
    a bad filter value is the same 400 problem the list answers.
    """

    feed_type = Atom1Feed
    queryset: Any = None
    filterset_class: Any = None
    resource = ""
    description = ""

    def __call__(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET, queryset=self.queryset.all(), request=request)
        if not self.filterset.is_valid():
            # Each error's own code (``invalid_choice``, ``invalid``…), as the list's 400 gives it.
            errors = [
                {"code": error.code or "invalid", "detail": " ".join(error.messages), "attr": name}
                for name, field_errors in self.filterset.form.errors.as_data().items()
                for error in field_errors
            ]
            detail = "; ".join(f"{e['attr']}: {e['detail']}" for e in errors)
            return problem_response(400, detail, "invalid", errors=errors, slug="validation-error")
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return self.request.build_absolute_uri(f"/api/v1/{self.resource}/")

    def feed_url(self):
        return self.request.build_absolute_uri()

    def items(self):
        queryset = self.filterset.qs
        if not queryset.query.order_by:  # no ?ordering=: the list's own order, undated last
            queryset = queryset.order_by(*model_order(queryset.model))
        return list(queryset[:FEED_SIZE])

    def item_link(self, item):
        return self.request.build_absolute_uri(f"/api/v1/{self.resource}/{item.public_id}/")

    def item_guid(self, item):
        return self.item_link(item)

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


class ChangeFeed(FilteredAtomFeed):
    """The changes feed as Atom: newest versions first (a feed reader shows the latest)."""

    title = "Factsapi: changes"
    description = "Every version of every resource, newest first."
    resource = "changes"

    def __init__(self):
        from apps.core.filtersets import ChangeFilterSet
        from apps.core.models import Change

        super().__init__()
        self.queryset = Change.objects.select_related("recorded_by").order_by("-id")
        self.filterset_class = ChangeFilterSet

    def item_title(self, change):
        why = f", {change.reason}" if change.reason else ""
        return f"{change.resource} {change.object_id}: {change.change}{why} (version {change.version})"

    def item_description(self, change):
        who = change.recorded_by.get_username() if change.recorded_by else "an import"
        why = f" ({change.get_reason_display().lower()})" if change.reason else ""
        return f"{change.change.capitalize()}{why} by {who} at {change.recorded_at.isoformat()}."

    def item_categories(self, change):
        # Atom categories a reader can filter on: the kind of change and its reason.
        return [value for value in (change.change, change.reason) if value]

    def item_link(self, change):
        return self.request.build_absolute_uri(
            f"/api/v1/{change.resource}/{change.object_id}/history/{change.version}/"
        )

    def item_guid(self, change):
        return self.request.build_absolute_uri(f"/api/v1/changes/#{change.pk}")

    def item_updateddate(self, change):
        return change.recorded_at

    def item_pubdate(self, change):
        return change.recorded_at
