from django.contrib import admin

from apps.core.admin import FactAdmin, shorten
from apps.sources.admin import CitationInline
from apps.statements.filtersets import StatementFilterSet
from apps.statements.models import Statement, StatementCitation


class StatementCitationInline(CitationInline):
    model = StatementCitation


@admin.register(Statement)
class StatementAdmin(FactAdmin):
    list_display = ["speaker", "short_text", "kind", "said_on", "date_precision", "certainty"]
    list_select_related = ["speaker"]
    list_filter = ["kind", *FactAdmin.list_filter, ("topics", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "speaker__name", "medium"]
    search_filterset = StatementFilterSet
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker", "event", "about", "topics"]
    inlines = [StatementCitationInline]

    @admin.display(description="text")
    def short_text(self, obj):
        return shorten(obj.text)
