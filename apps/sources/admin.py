from django import forms
from django.contrib import admin
from django.db import models

from apps.core.admin import HistoryAdmin, MinOneInlineMixin
from apps.sources.filtersets import SourceFilterSet
from apps.sources.models import Source


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "published_on_precision", "language"]
    list_filter = ["kind", "published_on_precision", "language"]
    search_fields = ["title", "publisher", "author", "url"]
    search_filterset = SourceFilterSet
    date_hierarchy = "published_on"
    readonly_fields = ["id", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CitationInline(MinOneInlineMixin, admin.TabularInline):
    """Citations edited on their fact's page; every fact keeps at least one."""

    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "excerpt", "locator", "note"]
    # Narrow enough that Note and Delete stay on screen at 1280 px, the side menu open (the admin's
    # textareas are 48em wide; the table was 1,942 px). tests/browser measures it.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "style": "width: 13em"})},
        models.CharField: {"widget": forms.TextInput(attrs={"style": "width: 7em"})},
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "source":
            field.widget.attrs["style"] = "width: 15em"  # select2 takes its width from the select's style
        return field
