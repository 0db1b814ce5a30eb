"""What actors want, over valid time."""

from django.db import models
from django.db.models import F
from django.utils.text import Truncator

from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint, range_constraint
from apps.core.models import BoundedTextField, FactModel
from apps.core.query.ordering import index_key, sorted_index
from apps.core.record.history import HistoricalRecords
from apps.positions.choices import Stance
from apps.sources.models import Citation


class Position(FactModel):
    """An actor's stance on a topic from ``valid_from`` until ``valid_to`` (empty: still held)."""

    api_resource = "positions"
    api_serializer = "apps.positions.api.serializers.PositionSerializer"
    precision_fields = ("valid_from", "valid_to")
    range_fields = ("valid_from", "valid_to")
    api_prefetch = ("evidence_statements__speaker",)
    world_fields = frozenset({"valid_to"})

    actor = models.ForeignKey("actors.Actor", on_delete=models.PROTECT, related_name="positions")
    topic = models.ForeignKey("topics.Topic", on_delete=models.PROTECT, related_name="positions")
    stance = models.CharField(max_length=16, choices=Stance.choices)
    summary = BoundedTextField(help_text="What the actor wants, in the project's own words.")
    valid_from = models.DateField(null=True, blank=True, help_text="Empty when the source does not say since when.")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty while the position is still held.")
    # Evidence: the statements and events the position rests on (see apps.core.record.services.delete for
    # what deleting one of them does to the link).
    evidence_statements = models.ManyToManyField(
        "statements.Statement",
        related_name="evidenced_positions",
        blank=True,
        help_text="Statements the position rests on.",
    )
    evidence_events = models.ManyToManyField(
        "events.Event", related_name="evidenced_positions", blank=True, help_text="Events the position rests on."
    )

    history = HistoricalRecords(m2m_fields=[evidence_statements, evidence_events])

    class Meta(FactModel.Meta):
        ordering = ["-valid_from", "-id"]
        verbose_name = "position"
        constraints = [
            *FactModel.Meta.constraints,
            range_constraint("valid_from", "valid_to"),
            choices_constraint("stance", Stance),
            precision_constraint("valid_from", "valid_to"),
            not_blank_constraint("summary"),
        ]
        # The API's default order, latest start first with unknown starts last (see apps.core.query.ordering),
        # overall and per actor; and the topic + validity span the date filters test.
        indexes = [
            models.Index(index_key("valid_from", descending=True).desc(), F("id").desc(), name="positions_start_idx"),
            models.Index(
                F("actor"), index_key("valid_from", descending=True).desc(), F("id").desc(), name="positions_actor_idx"
            ),
            models.Index(fields=["topic", "valid_from", "valid_to", "id"], name="positions_topic_span_idx"),
            sorted_index("topic", by="valid_from", nullable=True, name="positions_topic_idx"),
            sorted_index("stance", by="valid_from", nullable=True, name="positions_stance_idx"),
            sorted_index("certainty", by="valid_from", nullable=True, name="positions_certainty_idx"),
            sorted_index(
                by="valid_from", nullable=True, name="positions_current_idx", condition=models.Q(valid_to=None)
            ),
            sorted_index(by="valid_from", nullable=True, descending=False, name="positions_start_asc_idx"),
            sorted_index(by="valid_to", nullable=True, name="positions_end_idx"),
            sorted_index(by="valid_to", nullable=True, descending=False, name="positions_end_asc_idx"),
            sorted_index(by="created_at", name="positions_created_idx"),
            sorted_index(by="updated_at", name="positions_updated_idx"),
        ]

    def __str__(self):
        # Cut with "…", so a title (the admin's, the history's) shows that the summary goes on.
        return f"{self.actor} {self.get_stance_display().lower()}: {Truncator(self.summary).chars(60)}"


class PositionCitation(Citation):
    position = models.ForeignKey("positions.Position", on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        verbose_name = "position citation"
