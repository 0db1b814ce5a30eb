"""Assisted intake: an article an editor pasted, and the draft facts extracted from it.

Nothing here is a fact. A draft becomes one only when an editor accepts it, and
then through the fact's own serializer and ``apps.core.record.services`` (one version,
recorded under the editor, cited to the article's source). Articles and drafts
are an editor's workspace: they keep no versions and are not in the changes feed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from apps.core.choices import DatePrecision
from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint
from apps.core.models import PRECISION_ERROR, PRECISION_RULES, UUIDModel
from apps.intake.choices import DraftKind, DraftState
from apps.sources.choices import SourceKind

MAX_ARTICLE = 100_000  # characters of an article's text (the seed explainer has about 7,000)


class Article(UUIDModel):
    """A news article, explainer or interview write-up pasted by an editor. The server fetches no URL."""

    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS)
    published_on = models.DateField(
        null=True, blank=True, help_text="Relative dates in the text ('last August') are resolved against it."
    )
    published_on_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField(max_length=1000, blank=True, help_text="Recorded, never fetched.")
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag, e.g. 'en'.")
    text = models.TextField(
        validators=[MaxLengthValidator(MAX_ARTICLE)],
        help_text="Plain text; HTML is reduced to text on the way in. Draft spans index into it.",
    )
    exclusions = models.JSONField(
        default=list, blank=True, help_text="Lines and sentences left out, each {start, end, text, reason}."
    )
    source = models.ForeignKey(
        "sources.Source",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        help_text="The source accepted facts cite; found or made at the first accept.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "article"
        constraints = [
            choices_constraint("kind", SourceKind),
            choices_constraint("published_on_precision", DatePrecision),
            precision_constraint("published_on", precision_field="published_on_precision"),
            not_blank_constraint("title"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        precision = self.published_on_precision
        value = self.published_on
        if value and precision in PRECISION_RULES and (value.day != 1 or (precision == "year" and value.month != 1)):
            raise ValidationError(
                {"published_on": PRECISION_ERROR.format(precision=precision, rule=PRECISION_RULES[precision])}
            )


class Draft(UUIDModel):
    """One proposed fact: its fields in the API's request format, the span of the article it came from,
    the rule that produced it and the cues it read, and what the editor did with it."""

    article = models.ForeignKey("intake.Article", on_delete=models.CASCADE, related_name="drafts")
    ordinal = models.PositiveIntegerField(default=0, help_text="Order of extraction.")
    kind = models.CharField(max_length=16, choices=DraftKind.choices)
    fields = models.JSONField(default=dict, help_text="The proposed fact, as the resource's API takes it.")
    start = models.PositiveIntegerField(help_text="First character of the span in the article's text.")
    end = models.PositiveIntegerField(help_text="One past the last character of the span.")
    locator = models.CharField(max_length=200, blank=True, help_text="The nearest section heading above the span.")
    rule = models.CharField(max_length=64, help_text="The extraction rule that produced it, e.g. 'quote.said'.")
    cues = models.JSONField(
        default=dict, blank=True, help_text="What the rule read: speaker phrase and score, date phrase, certainty cue."
    )
    state = models.CharField(max_length=16, choices=DraftState.choices, default=DraftState.PROPOSED)
    duplicate_of = models.ForeignKey(
        "statements.Statement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="A statement already in the database with the same speaker and text.",
    )
    fact_id = models.CharField(max_length=100, blank=True, help_text="Id (or slug) of the fact made from it.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["article", "ordinal", "id"]
        verbose_name = "draft"
        constraints = [
            choices_constraint("kind", DraftKind),
            choices_constraint("state", DraftState),
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="%(app_label)s_%(class)s_valid_span"),
        ]
        indexes = [models.Index(fields=["article", "ordinal", "id"], name="intake_draft_article_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} draft ({self.rule})"

    @property
    def span_text(self) -> str:
        return self.article.text[self.start : self.end]
