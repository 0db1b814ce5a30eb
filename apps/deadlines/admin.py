from django.contrib import admin

from apps.core.admin import FactAdmin
from apps.deadlines.models import Deadline, DeadlineCitation
from apps.sources.admin import CitationInline


class DeadlineCitationInline(CitationInline):
    model = DeadlineCitation


@admin.register(Deadline)
class DeadlineAdmin(FactAdmin):
    list_display = ["title", "kind", "due_on", "date_precision", "status", "certainty"]
    list_filter = ["status", "kind", *FactAdmin.list_filter, ("topics", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "outcome"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["actors", "topics"]
    inlines = [DeadlineCitationInline]
