from django.contrib import admin
from django.utils.html import format_html

from apps.core.admin import FactAdmin
from apps.deadlines.filtersets import DeadlineFilterSet
from apps.deadlines.models import Deadline, DeadlineCitation, overdue_condition
from apps.sources.admin import CitationInline

# The admin index lists the deadlines to update (see the template).
admin.site.index_template = "admin/deadlines/index.html"


class DeadlineCitationInline(CitationInline):
    model = DeadlineCitation


class OverdueListFilter(admin.SimpleListFilter):
    """Deadlines still marked upcoming after the last day they could have been due."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue: update the status"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_condition())
        if self.value() == "no":
            return queryset.exclude(overdue_condition())
        return queryset


@admin.register(Deadline)
class DeadlineAdmin(FactAdmin):
    list_display = ["title", "kind", "due_on", "date_precision", "status", "overdue", "certainty"]
    list_filter = [
        OverdueListFilter,
        "status",
        "kind",
        *FactAdmin.list_filter,
        ("topics", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "description", "outcome"]
    search_filterset = DeadlineFilterSet
    date_hierarchy = "due_on"
    autocomplete_fields = ["actors", "topics", "evidence_statements", "evidence_events"]
    inlines = [DeadlineCitationInline]

    # Words, not the boolean icons: a green ✔ said an overdue deadline was fine and a red ✖ that a missed
    # (settled) one was a problem. Only what needs an editor is marked, in the admin's error red.
    @admin.display(description="overdue")
    def overdue(self, obj):
        if obj.is_overdue():
            return format_html('<span class="overdue">{}</span>', "Overdue: update the status")
        return "—"
