"""What happened: summits, meetings, captures, votes…"""

from django.db import models

from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint, range_constraint
from apps.core.models import BoundedTextField, FactModel, SortedLink
from apps.core.query.ordering import sorted_index
from apps.core.record.history import HistoricalRecords
from apps.events.choices import EventKind
from apps.sources.models import Citation


class Event(FactModel):
    """Something that happened, over one day or a span."""

    api_resource = "events"
    api_serializer = "apps.events.api.serializers.EventSerializer"
    precision_fields = ("starts_on", "ends_on")
    range_fields = ("starts_on", "ends_on")

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    description = BoundedTextField(blank=True, help_text="A summary in the project's own words.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Empty for a one-day event.")
    location = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField("actors.Actor", related_name="events", blank=True)
    topics = models.ManyToManyField("topics.Topic", related_name="events", blank=True)

    history = HistoricalRecords(m2m_fields=[participants, topics])

    class Meta(FactModel.Meta):
        ordering = ["-starts_on", "-id"]
        verbose_name = "event"
        constraints = [
            *FactModel.Meta.constraints,
            range_constraint("starts_on", "ends_on"),
            choices_constraint("kind", EventKind),
            precision_constraint("starts_on", "ends_on"),
            not_blank_constraint("title"),
        ]
        indexes = [
            models.Index(fields=["starts_on", "id"], name="events_event_starts_idx"),
            models.Index(fields=["kind", "starts_on", "id"], name="events_event_kind_starts_idx"),
            sorted_index("certainty", by="starts_on", name="events_certainty_idx"),
            sorted_index(by="created_at", name="events_created_idx"),
            sorted_index(by="updated_at", name="events_updated_idx"),
        ]

    def __str__(self):
        return self.title


class EventParticipantLink(SortedLink):
    """``participants``'s link table with its copy of ``starts_on`` (read by the participant filter)."""

    event = models.ForeignKey(Event, models.DO_NOTHING, related_name="participant_links")
    actor = models.ForeignKey("actors.Actor", models.DO_NOTHING, related_name="+")
    starts_on = models.DateField()

    class Meta(SortedLink.Meta):
        db_table = "events_event_participants"


class EventTopicLink(SortedLink):
    """``topics``'s link table with its copy of ``starts_on`` (read by the topic filter)."""

    event = models.ForeignKey(Event, models.DO_NOTHING, related_name="topic_links")
    topic = models.ForeignKey("topics.Topic", models.DO_NOTHING, related_name="+")
    starts_on = models.DateField()

    class Meta(SortedLink.Meta):
        db_table = "events_event_topics"


class EventCitation(Citation):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        verbose_name = "event citation"
