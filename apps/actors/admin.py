from django.contrib import admin

from apps.actors.filtersets import ActorFilterSet, RoleFilterSet
from apps.actors.models import Actor, Role
from apps.core.admin import HistoryAdmin, ProtectedLinksAdminMixin


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "actor"
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["title", "organization", "valid_from", "valid_to", "date_precision"]


@admin.register(Actor)
class ActorAdmin(ProtectedLinksAdminMixin, HistoryAdmin):
    list_display = ["name", "kind", "country", "slug", "wikidata_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "aliases", "description"]
    search_filterset = ActorFilterSet
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ["actor", "title", "organization", "valid_from", "valid_to", "date_precision"]
    list_select_related = ["actor", "organization"]
    list_filter = ["date_precision"]
    search_fields = ["title", "actor__name", "organization__name"]
    search_filterset = RoleFilterSet
    autocomplete_fields = ["actor", "organization"]
    readonly_fields = ["id", "created_at", "updated_at"]
