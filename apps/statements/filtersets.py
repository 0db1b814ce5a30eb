import django_filters

from apps.actors.models import Actor
from apps.core.api.filters import ChoicesFilter, FactFilterSet, SlugsFilter, ordering_filter
from apps.events.models import Event
from apps.statements.choices import StatementKind
from apps.statements.models import Statement
from apps.topics.models import Topic


class StatementFilterSet(FactFilterSet):
    date_field = "said_on"
    search_fields = ("text", "medium", "assessment", "speaker__name", "speaker__aliases")

    speaker = SlugsFilter(queryset=Actor.objects.all(), help_text="Speaker slug; repeat to match any of several.")
    about = SlugsFilter(queryset=Actor.objects.all(), help_text="Slug of an actor the statement is about.")
    topic = SlugsFilter(field_name="topics", queryset=Topic.objects.all(), help_text="Topic slug.")
    event = SlugsFilter(to_field_name="id", queryset=Event.objects.all(), help_text="Event id.")
    kind = ChoicesFilter(choices=StatementKind.choices)
    ordering = ordering_filter("said_on", "created_at", "updated_at", relevance=True)

    class Meta:
        model = Statement
        fields = ["speaker", "about", "topic", "event", "kind", "certainty"]


class EvidenceFilterSet(django_filters.FilterSet):
    """``evidence_statement`` and ``evidence_event``, for the facts that carry ``evidence`` (positions, deadlines)."""

    evidence_statement = SlugsFilter(
        field_name="evidence_statements",
        to_field_name="id",
        queryset=Statement.objects.all(),
        help_text="Statement id: the facts that cite it as evidence; repeat to match any of several.",
    )
    evidence_event = SlugsFilter(
        field_name="evidence_events",
        to_field_name="id",
        queryset=Event.objects.all(),
        help_text="Event id: the facts that cite it as evidence; repeat to match any of several.",
    )
