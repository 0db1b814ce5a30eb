import django_filters

from apps.intake.choices import DraftKind, DraftState
from apps.intake.models import Article, Draft


class DraftFilterSet(django_filters.FilterSet):
    article = django_filters.ModelMultipleChoiceFilter(
        queryset=Article.objects.all(), help_text="Article UUID; repeat for any of several."
    )
    kind = django_filters.MultipleChoiceFilter(choices=DraftKind.choices)
    state = django_filters.MultipleChoiceFilter(choices=DraftState.choices)

    class Meta:
        model = Draft
        fields = ["article", "kind", "state"]
