import django_filters

from apps.core.api.filters import ChoicesFilter, DatedFilterSet, ordering_filter
from apps.sources.choices import SourceKind
from apps.sources.models import Source


class SourceFilterSet(DatedFilterSet):
    date_field = "published_on"
    search_fields = ("title", "publisher", "author", "url")

    kind = ChoicesFilter(choices=SourceKind.choices)
    publisher = django_filters.CharFilter(lookup_expr="iexact", help_text="Publisher name, case-insensitive.")
    ordering = ordering_filter("published_on", "title", "created_at")

    class Meta:
        model = Source
        fields = ["kind", "publisher"]
