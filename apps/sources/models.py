"""Where facts come from: documents, and the citations that tie a fact to one."""

from django.db import models
from django.db.models import F
from django.db.models.functions import Upper

from apps.core.choices import DatePrecision
from apps.core.constraints import choices_constraint, not_blank_constraint, precision_constraint
from apps.core.models import BoundedTextField, UUIDModel, VersionedModel
from apps.core.query.ordering import index_key, sorted_index
from apps.core.record.history import HistoricalRecords
from apps.sources.choices import SourceKind


class Source(VersionedModel, UUIDModel):
    """A document facts are taken from: an article, an interview, a treaty text…"""

    api_resource = "sources"
    api_serializer = "apps.sources.api.serializers.SourceSerializer"
    precision_field = "published_on_precision"
    precision_fields = ("published_on",)

    title = models.CharField(max_length=500)
    # NULL, not "", when unknown: the URL is unique, and only NULLs may repeat.
    url = models.URLField(max_length=1000, null=True, blank=True, help_text="Empty when the text gives none.")  # noqa: DJ001
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=32, choices=SourceKind.choices)
    published_on = models.DateField(null=True, blank=True)
    published_on_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)
    retrieved_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag, e.g. 'en' or 'ru'.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = "source"
        constraints = [
            choices_constraint("kind", SourceKind),
            choices_constraint("published_on_precision", DatePrecision),
            precision_constraint("published_on", precision_field="published_on_precision"),
            not_blank_constraint("title"),
            models.UniqueConstraint(fields=["url"], name="%(app_label)s_%(class)s_unique_url"),
        ]
        indexes = [
            # The API's default order: newest first, undated last (see apps.core.query.ordering).
            models.Index(
                index_key("published_on", descending=True).desc(), F("id").desc(), name="sources_published_idx"
            ),
            models.Index(fields=["publisher", "published_on", "id"], name="sources_source_publisher_idx"),
            # ``publisher`` is matched case-insensitively: UPPER(publisher) on PostgreSQL.
            models.Index(
                Upper("publisher"),
                index_key("published_on", descending=True).desc(),
                F("id").desc(),
                name="sources_publisher_upper_idx",
            ),
            sorted_index("kind", by="published_on", nullable=True, name="sources_kind_idx"),
            sorted_index(by="published_on", nullable=True, descending=False, name="sources_published_asc_idx"),
            sorted_index(by="title", name="sources_title_idx"),
            sorted_index(by="created_at", name="sources_created_idx"),
        ]

    def __str__(self):
        return self.title


class Citation(UUIDModel):
    """Abstract link from one fact to a source that backs it.

    Each fact app subclasses it with a ``fact`` foreign key, so every citation
    table has real foreign keys (no generic relations) and its own history.
    """

    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="%(app_label)s_citations")
    excerpt = BoundedTextField(blank=True, max_length=1000, help_text="A short verbatim passage of the source.")
    locator = models.CharField(max_length=200, blank=True, help_text="Where in the source: section, paragraph…")
    note = BoundedTextField(blank=True)
    ordinal = models.PositiveSmallIntegerField(default=0, editable=False, help_text="Order among the fact's citations.")

    class Meta:
        abstract = True
        ordering = ["ordinal", "created_at", "id"]
        verbose_name = "citation"

    def __str__(self):
        return f"{self.source} ({self.locator})" if self.locator else str(self.source)
