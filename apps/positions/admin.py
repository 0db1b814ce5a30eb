from django.contrib import admin

from apps.core.admin import FactAdmin, shorten, span_column
from apps.positions.filtersets import PositionFilterSet
from apps.positions.models import Position, PositionCitation
from apps.sources.admin import CitationInline


class PositionCitationInline(CitationInline):
    model = PositionCitation


@admin.register(Position)
class PositionAdmin(FactAdmin):
    # One "valid" column for the span keeps the list, precision included, beside the filters at 1280 px.
    list_display = ["actor", "stance", "topic", "short_summary", span_column(Position), "date_precision", "certainty"]
    list_select_related = ["actor", "topic"]
    list_filter = ["stance", *FactAdmin.list_filter, ("topic", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "actor__name", "topic__name"]
    search_filterset = PositionFilterSet
    date_hierarchy = "valid_from"
    autocomplete_fields = ["actor", "topic", "evidence_statements", "evidence_events"]
    inlines = [PositionCitationInline]

    @admin.display(description="summary")
    def short_summary(self, obj):
        return shorten(obj.summary)
