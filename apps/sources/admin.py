from django.contrib import admin
from django.db import models

from apps.core.admin import HistoryAdmin, MinOneInlineMixin
from apps.sources.models import Source


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "published_on_precision", "language"]
    list_filter = ["kind", "published_on_precision", "language"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"
    readonly_fields = ["id", "created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CitationInline(MinOneInlineMixin, admin.TabularInline):
    """Citations edited on their fact's page; every fact keeps at least one."""

    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "excerpt", "locator", "note"]
