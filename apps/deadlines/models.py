"""What is due when: treaty expiries, meetings, votes, promises."""

import calendar
import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core.choices import DatePrecision
from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint
from apps.core.dates import display_date
from apps.core.models import BoundedTextField, FactModel, SortedLink
from apps.core.query.ordering import sorted_index
from apps.core.record.history import HistoricalRecords
from apps.deadlines.choices import DeadlineKind, DeadlineStatus
from apps.sources.models import Citation


class Deadline(FactModel):
    """A date by which something is due, and what became of it."""

    api_resource = "deadlines"
    api_serializer = "apps.deadlines.api.serializers.DeadlineSerializer"
    precision_fields = ("due_on",)
    api_prefetch = ("evidence_statements__speaker",)
    world_fields = frozenset({"status", "due_on", "date_precision", "outcome"})

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=DeadlineKind.choices)
    description = BoundedTextField(blank=True, help_text="What is due, in the project's own words.")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.UPCOMING)
    outcome = BoundedTextField(blank=True, help_text="What happened at the deadline, once known.")
    actors = models.ManyToManyField("actors.Actor", related_name="deadlines", blank=True)
    topics = models.ManyToManyField("topics.Topic", related_name="deadlines", blank=True)
    # Evidence: the statements and events the deadline rests on (see apps.core.record.services.delete for
    # what deleting one of them does to the link).
    evidence_statements = models.ManyToManyField(
        "statements.Statement",
        related_name="evidenced_deadlines",
        blank=True,
        help_text="Statements the deadline rests on.",
    )
    evidence_events = models.ManyToManyField(
        "events.Event", related_name="evidenced_deadlines", blank=True, help_text="Events the deadline rests on."
    )

    history = HistoricalRecords(m2m_fields=[actors, topics, evidence_statements, evidence_events])

    class Meta(FactModel.Meta):
        ordering = ["due_on", "id"]
        verbose_name = "deadline"
        constraints = [
            *FactModel.Meta.constraints,
            choices_constraint("kind", DeadlineKind),
            choices_constraint("status", DeadlineStatus),
            precision_constraint("due_on"),
            not_blank_constraint("title"),
        ]
        indexes = [
            models.Index(fields=["due_on", "id"], name="deadlines_due_idx"),
            models.Index(fields=["status", "due_on", "id"], name="deadlines_status_due_idx"),
            sorted_index("kind", by="due_on", name="deadlines_kind_idx"),
            sorted_index("certainty", by="due_on", name="deadlines_certainty_idx"),
            sorted_index(by="created_at", name="deadlines_created_idx"),
            sorted_index(by="updated_at", name="deadlines_updated_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({display_date(self.due_on, self.date_precision)})"

    @property
    def due_by(self) -> datetime.date:
        """The last day ``due_on`` can mean at its precision: the day itself, the month's end, the year's end."""
        return precision_end(self.due_on, self.date_precision)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Still ``upcoming`` after the last day it could have been due. The status stays what an editor set."""
        today = today or timezone.localdate()
        return self.status == DeadlineStatus.UPCOMING and self.due_by < today


def precision_end(day: datetime.date, precision: str) -> datetime.date:
    if precision == DatePrecision.YEAR:
        return datetime.date(day.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def overdue_condition(today: datetime.date | None = None) -> Q:
    """The rows ``is_overdue`` is true of, as a filter: a month-precision date is overdue once its month
    is over (stored as the 1st: before the 1st of this month), a year-precision one once its year is."""
    today = today or timezone.localdate()
    return Q(status=DeadlineStatus.UPCOMING) & (
        Q(date_precision=DatePrecision.DAY, due_on__lt=today)
        | Q(date_precision=DatePrecision.MONTH, due_on__lt=today.replace(day=1))
        | Q(date_precision=DatePrecision.YEAR, due_on__lt=today.replace(month=1, day=1))
    )


class DeadlineActorLink(SortedLink):
    """``actors``'s link table with its copy of ``due_on`` (read by the actor filter)."""

    deadline = models.ForeignKey(Deadline, models.DO_NOTHING, related_name="actor_links")
    actor = models.ForeignKey("actors.Actor", models.DO_NOTHING, related_name="+")
    due_on = models.DateField()

    class Meta(SortedLink.Meta):
        db_table = "deadlines_deadline_actors"


class DeadlineTopicLink(SortedLink):
    """``topics``'s link table with its copy of ``due_on`` (read by the topic filter)."""

    deadline = models.ForeignKey(Deadline, models.DO_NOTHING, related_name="topic_links")
    topic = models.ForeignKey("topics.Topic", models.DO_NOTHING, related_name="+")
    due_on = models.DateField()

    class Meta(SortedLink.Meta):
        db_table = "deadlines_deadline_topics"


class DeadlineCitation(Citation):
    deadline = models.ForeignKey("deadlines.Deadline", on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        verbose_name = "deadline citation"
