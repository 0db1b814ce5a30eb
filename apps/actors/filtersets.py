import django_filters
from django.core.validators import RegexValidator

from apps.actors.choices import ActorKind
from apps.actors.models import Actor, Role
from apps.core.api.filters import (
    ChoicesFilter,
    DatedFilterSet,
    IsoDateFilter,
    SearchFilterSet,
    SlugsFilter,
    ordering_filter,
)


class ActorFilterSet(SearchFilterSet):
    search_fields = ("name", "slug", "aliases", "description")

    kind = ChoicesFilter(choices=ActorKind.choices)
    country = django_filters.CharFilter(
        method="filter_country",
        label="Country",
        validators=[RegexValidator(r"^[A-Za-z]{2}$", "Use an ISO 3166-1 alpha-2 code, e.g. RU.")],
        help_text="ISO 3166-1 alpha-2 code, e.g. `RU` (case-insensitive).",
    )
    ordering = ordering_filter("name", "slug", "created_at")

    class Meta:
        model = Actor
        fields = ["kind", "country"]

    def filter_country(self, qs, name, value):
        return qs.filter(country=value.upper())


class RoleFilterSet(DatedFilterSet):
    date_span = ("valid_from", "valid_to")
    search_fields = ("title", "actor__name", "organization__name")

    actor = SlugsFilter(queryset=Actor.objects.all(), help_text="Actor slug; repeat to match any of several.")
    organization = SlugsFilter(queryset=Actor.objects.all(), help_text="Organization slug.")
    valid_at = IsoDateFilter(
        method="filter_valid_at", label="Valid at", help_text="Roles held on this date (YYYY-MM-DD)."
    )
    ordering = ordering_filter("valid_from", "valid_to", "created_at")

    class Meta:
        model = Role
        fields = ["actor", "organization"]
