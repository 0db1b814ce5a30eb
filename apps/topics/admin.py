from django.contrib import admin

from apps.core.admin import HistoryAdmin, ProtectedLinksAdminMixin
from apps.topics.filtersets import TopicFilterSet
from apps.topics.models import Topic


@admin.register(Topic)
class TopicAdmin(ProtectedLinksAdminMixin, HistoryAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    search_filterset = TopicFilterSet
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at"]
