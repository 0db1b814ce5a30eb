"""What is due when: treaty expiries, meetings, votes, promises."""

from django.db import models

from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint
from apps.core.history import HistoricalRecords
from apps.core.models import BoundedTextField, FactModel
from apps.deadlines.choices import DeadlineKind, DeadlineStatus
from apps.sources.models import Citation


class Deadline(FactModel):
    """A date by which something is due, and what became of it."""

    api_resource = "deadlines"
    api_serializer = "apps.deadlines.api.serializers.DeadlineSerializer"
    precision_fields = ("due_on",)

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=DeadlineKind.choices)
    description = BoundedTextField(blank=True, help_text="What is due, in the project's own words.")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.UPCOMING)
    outcome = BoundedTextField(blank=True, help_text="What happened at the deadline, once known.")
    actors = models.ManyToManyField("actors.Actor", related_name="deadlines", blank=True)
    topics = models.ManyToManyField("topics.Topic", related_name="deadlines", blank=True)

    history = HistoricalRecords(m2m_fields=[actors, topics])

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
        ]

    def __str__(self):
        return f"{self.title} ({self.due_on})"


class DeadlineCitation(Citation):
    deadline = models.ForeignKey("deadlines.Deadline", on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        verbose_name = "deadline citation"
