"""What actors said or wrote."""

from django.db import models
from django.db.models import F

from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint
from apps.core.models import BoundedTextField, FactModel, SortedLink
from apps.core.query.ordering import index_key, sorted_index
from apps.core.record.history import HistoricalRecords
from apps.sources.models import Citation
from apps.statements.choices import StatementKind


class Statement(FactModel):
    """Something an actor said: a verbatim quote or a paraphrase, dated and cited."""

    api_resource = "statements"
    api_serializer = "apps.statements.api.serializers.StatementSerializer"
    precision_fields = ("said_on",)

    speaker = models.ForeignKey("actors.Actor", on_delete=models.PROTECT, related_name="statements")
    text = BoundedTextField(help_text="Verbatim for a direct quote; the project's own words for a paraphrase.")
    kind = models.CharField(max_length=16, choices=StatementKind.choices)
    said_on = models.DateField(
        null=True, blank=True, help_text="Empty when the source does not say when; never guessed."
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, related_name="statements", null=True, blank=True
    )
    medium = models.CharField(max_length=200, blank=True, help_text="Where or to whom: 'told Reuters', 'press'…")
    about = models.ManyToManyField("actors.Actor", related_name="statements_about", blank=True)
    topics = models.ManyToManyField("topics.Topic", related_name="statements", blank=True)
    assessment = BoundedTextField(blank=True, help_text="How the source judges the claim, in our words.")

    history = HistoricalRecords(m2m_fields=[about, topics])

    class Meta(FactModel.Meta):
        ordering = ["-said_on", "-id"]
        verbose_name = "statement"
        constraints = [
            *FactModel.Meta.constraints,
            choices_constraint("kind", StatementKind),
            precision_constraint("said_on"),
            not_blank_constraint("text"),
        ]
        # The API's default order, newest first with undated statements last (see apps.core.query.ordering).
        indexes = [
            models.Index(
                F("speaker"),
                index_key("said_on", descending=True).desc(),
                F("id").desc(),
                name="statements_speaker_said_idx",
            ),
            models.Index(index_key("said_on", descending=True).desc(), F("id").desc(), name="statements_said_idx"),
            # Every other filter and ordering seeks too (issue 7): equality filters, then the sort key.
            sorted_index("certainty", by="said_on", nullable=True, name="statements_certainty_idx"),
            sorted_index("kind", by="said_on", nullable=True, name="statements_kind_idx"),
            sorted_index("event", by="said_on", nullable=True, name="statements_event_said_idx"),
            sorted_index(by="said_on", nullable=True, descending=False, name="statements_said_asc_idx"),
            sorted_index(by="created_at", name="statements_created_idx"),
            sorted_index(by="updated_at", name="statements_updated_idx"),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.speaker}: {text}"


class StatementTopicLink(SortedLink):
    """``topics``'s link table with its copy of ``said_on`` (read by the topic filter)."""

    statement = models.ForeignKey(Statement, models.DO_NOTHING, related_name="topic_links")
    topic = models.ForeignKey("topics.Topic", models.DO_NOTHING, related_name="+")
    said_on = models.DateField(null=True)

    class Meta(SortedLink.Meta):
        db_table = "statements_statement_topics"


class StatementAboutLink(SortedLink):
    """``about``'s link table with its copy of ``said_on`` (read by the about filter)."""

    statement = models.ForeignKey(Statement, models.DO_NOTHING, related_name="about_links")
    actor = models.ForeignKey("actors.Actor", models.DO_NOTHING, related_name="+")
    said_on = models.DateField(null=True)

    class Meta(SortedLink.Meta):
        db_table = "statements_statement_about"


class StatementCitation(Citation):
    statement = models.ForeignKey("statements.Statement", on_delete=models.CASCADE, related_name="citations")

    class Meta(Citation.Meta):
        verbose_name = "statement citation"
