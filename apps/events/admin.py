from django.contrib import admin

from apps.core.admin import FactAdmin
from apps.events.filtersets import EventFilterSet
from apps.events.models import Event, EventCitation
from apps.sources.admin import CitationInline


class EventCitationInline(CitationInline):
    model = EventCitation


@admin.register(Event)
class EventAdmin(FactAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "date_precision", "location", "certainty"]
    list_filter = ["kind", *FactAdmin.list_filter, ("topics", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "location"]
    search_filterset = EventFilterSet
    date_hierarchy = "starts_on"
    autocomplete_fields = ["participants", "topics"]
    inlines = [EventCitationInline]
