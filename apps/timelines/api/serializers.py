"""The timeline's entries, typed per kind of fact so generated clients get a discriminated union."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from apps.actors.api.serializers import RoleSerializer
from apps.core.choices import DatePrecision
from apps.deadlines.api.serializers import DeadlineSerializer
from apps.events.api.serializers import EventSerializer
from apps.positions.api.serializers import PositionSerializer
from apps.statements.api.serializers import StatementSerializer
from apps.timelines.choices import EntryType


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of an actor's timeline: when, what kind, a one-line summary, where to read it, and the fact."""

    date = serializers.DateField(
        allow_null=True, help_text="The entry's date at `date_precision` (the 1st for a month); null: undated."
    )
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    type = serializers.ChoiceField(choices=EntryType.choices)
    summary = serializers.CharField(help_text="One line to scan; the fact itself is in `data`.")
    url = serializers.URLField(help_text="The fact in the API (with `as_of` when the timeline was read with it).")


def _entry(name: str, fact_serializer, what: str):
    noun = what.split()[1]
    return type(
        name,
        (TimelineEntrySerializer,),
        {
            "data": fact_serializer(read_only=True, help_text=f"The {noun} as its own endpoint returns it."),
            "__doc__": f"A timeline entry for {what}.",
            "__module__": __name__,
        },
    )


StatementEntrySerializer = _entry("StatementTimelineEntrySerializer", StatementSerializer, "a statement")
EventEntrySerializer = _entry("EventTimelineEntrySerializer", EventSerializer, "an event")
PositionEntrySerializer = _entry(
    "PositionTimelineEntrySerializer", PositionSerializer, "a position (its start or its end)"
)
DeadlineEntrySerializer = _entry("DeadlineTimelineEntrySerializer", DeadlineSerializer, "a deadline")
RoleEntrySerializer = _entry("RoleTimelineEntrySerializer", RoleSerializer, "a role (its start or its end)")

ENTRY_SERIALIZERS = {
    EntryType.DEADLINE: DeadlineEntrySerializer,
    EntryType.EVENT: EventEntrySerializer,
    EntryType.POSITION_END: PositionEntrySerializer,
    EntryType.POSITION_START: PositionEntrySerializer,
    EntryType.ROLE_END: RoleEntrySerializer,
    EntryType.ROLE_START: RoleEntrySerializer,
    EntryType.STATEMENT: StatementEntrySerializer,
}


class TimelinePageSerializer(serializers.Serializer):
    """A page of an actor's timeline (documentation only: the view builds the page itself)."""

    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last page.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null on the first page.")
    results = PolymorphicProxySerializer(
        component_name="TimelineEntry",
        serializers={str(value): serializer for value, serializer in ENTRY_SERIALIZERS.items()},
        resource_type_field_name="type",
        many=True,
    )
