"""The API, one router per version: /api/v1/…"""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from apps.actors.api.reconcile import ReconcileView
from apps.actors.api.views import ActorMatchView, ActorViewSet, RoleViewSet
from apps.core.api.docs import OfflineRedocView, redoc_bundle
from apps.core.api.renderers import EXPORT_RENDERERS
from apps.core.api.schema_view import SchemaView
from apps.core.api.views import ChangeViewSet, VersionedViewSet
from apps.core.feeds import ChangeFeed
from apps.deadlines.api.views import DeadlineViewSet
from apps.deadlines.feeds import DeadlineFeed
from apps.events.api.views import EventViewSet
from apps.events.feeds import EventFeed
from apps.intake.api.views import ArticleViewSet, DraftViewSet
from apps.positions.api.views import PositionViewSet
from apps.sources.api.views import SourceViewSet
from apps.statements.api.views import StatementViewSet
from apps.statements.feeds import StatementFeed
from apps.timelines.api.views import ActorTimelineView
from apps.topics.api.views import TopicViewSet
from apps.webhooks.api.views import SubscriptionViewSet


class Root(APIRootView):
    """Factsapi v1: sourced geopolitical facts.

    Each link below is a collection: actors, roles, topics and sources, and the facts (events,
    statements, positions, deadlines), each cited, dated with its precision and versioned; `changes`
    is every version of every resource in commit order, the feed to sync from. `schema` is the OpenAPI
    description, `docs` and `redoc` render it. Reads are public; writes need an editor's token.
    """


class Router(DefaultRouter):
    """DefaultRouter whose API root also links the schema and its two renderings."""

    APIRootView = Root

    # Root key → URL name (in this file); the root view leaves out a name it cannot reverse.
    doc_links = {"schema": "schema", "docs": "swagger-ui", "redoc": "redoc"}

    def get_api_root_view(self, api_urls=None):
        api_root_dict = {prefix: self.routes[0].name.format(basename=basename) for prefix, _, basename in self.registry}
        return self.APIRootView.as_view(api_root_dict={**api_root_dict, **self.doc_links})


v1 = Router()
v1.register("actors", ActorViewSet, basename="actor")
v1.register("roles", RoleViewSet, basename="role")
v1.register("topics", TopicViewSet, basename="topic")
v1.register("sources", SourceViewSet, basename="source")
v1.register("events", EventViewSet, basename="event")
v1.register("statements", StatementViewSet, basename="statement")
v1.register("positions", PositionViewSet, basename="position")
v1.register("deadlines", DeadlineViewSet, basename="deadline")
v1.register("changes", ChangeViewSet, basename="change")
v1.register("intake/articles", ArticleViewSet, basename="intake-article")
v1.register("intake/drafts", DraftViewSet, basename="intake-draft")
v1.register("subscriptions", SubscriptionViewSet, basename="subscription")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", OfflineRedocView.as_view(url_name="schema"), name="redoc"),
    path("redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    # Before the router, whose format-suffix routes would read these as an item "calendar" or "feed".
    path("deadlines/calendar.ics", DeadlineViewSet.calendar_view(), name="deadline-calendar"),
    path("statements/feed.atom", StatementFeed(), name="statement-feed"),
    path("events/feed.atom", EventFeed(), name="event-feed"),
    path("deadlines/feed.atom", DeadlineFeed(), name="deadline-feed"),
    path("changes/feed.atom", ChangeFeed(), name="change-feed"),
    path("actors/<str:slug>/timeline/", ActorTimelineView.as_view(), name="actor-timeline"),
    # Before the router, whose item route would read "match" as an actor's slug.
    path("actors/match/", ActorMatchView.as_view(), name="actor-match"),
    path("reconcile/", ReconcileView.as_view(), name="reconcile"),
    # Bulk export of every resource's list: /api/v1/export/statements.ndjson, …/statements.csv
    *[
        path(f"export/{prefix}.{fmt}", viewset.export_view(fmt, basename), name=f"{basename}-export-{fmt}")
        for prefix, viewset, basename in v1.registry
        if issubclass(viewset, VersionedViewSet)
        for fmt in EXPORT_RENDERERS
    ],
    path("", include(v1.urls)),
]
