import django_filters

from apps.core.api.filters import ChoicesFilter, UTCDateTimeFilter
from apps.core.choices import ChangeKind, ChangeReason
from apps.core.models import Change
from apps.core.record.versions import versioned_models


def resource_choices():
    return sorted((m.api_resource, m.api_resource) for m in versioned_models())


class ChangeFilterSet(django_filters.FilterSet):
    resource = ChoicesFilter(
        choices=resource_choices, help_text="Only this resource (`statements`, `actors`…); repeat for several."
    )
    change = ChoicesFilter(choices=ChangeKind.choices, help_text="Only this kind of change; repeat for several.")
    reason = ChoicesFilter(
        choices=ChangeReason.choices,
        help_text="Only changes made for this reason (`update`, `correction`…); repeat for several.",
    )
    since = UTCDateTimeFilter(
        field_name="recorded_at", lookup_expr="gte", help_text="Only versions recorded at or after this moment."
    )

    class Meta:
        model = Change
        fields = ["resource", "change", "reason", "since"]
