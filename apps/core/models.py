"""Abstract bases shared by every app, and the changes feed."""

import uuid
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from apps.core.choices import Certainty, ChangeKind, ChangeReason, DatePrecision
from apps.core.constraints import choices_constraint
from apps.core.query.ordering import link_alias

if TYPE_CHECKING:
    from apps.core.query.listing import DateBound

PRECISION_ERROR = "A {precision}-precision date must be the {rule}."
PRECISION_RULES = {DatePrecision.MONTH: "1st of its month", DatePrecision.YEAR: "1 January of its year"}


class ProtectedLinksMixin:
    """Refuse to delete a row that facts still list in a many-to-many field.

    Foreign keys to actors and topics are PROTECT in the database; the links in
    ``participants``, ``about``, ``actors`` and ``topics`` would otherwise vanish
    silently (and without a version of the fact) when the row is deleted.
    """

    _meta: Any  # mixed into models only

    def linked_objects(self) -> list:
        linked = []
        for relation in self._meta.related_objects:
            if relation.many_to_many:
                linked.extend(getattr(self, relation.get_accessor_name()).all())
        return linked

    def check_unlinked(self) -> None:
        if linked := self.linked_objects():
            raise models.ProtectedError(f"{self} is still linked from {len(linked)} fact(s).", set(linked))

    def delete(self, *args, **kwargs):
        self.check_unlinked()
        return super().delete(*args, **kwargs)


class TimeStampedModel(models.Model):
    """Record time: when this row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UUIDModel(TimeStampedModel):
    """Rows addressed by a UUID that survives export and import between instances."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class VersionedQuerySet(models.QuerySet):
    """Bulk deletes and updates that still record a version of every row they touch.

    ``QuerySet.delete()`` and ``update()`` skip ``save()``, ``delete()`` and every
    signal, so without this a shell one-liner or the admin's "delete selected"
    would change facts with no version and step around link protection.
    """

    def delete(self):
        from apps.core.record import services  # services import the models

        rows = list(self)
        for row in rows:
            services.delete(row)
        return len(rows), {self.model._meta.label: len(rows)}

    # Django's own markers (templates may not call it; managers do not copy it).
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]

    def update(self, **kwargs):
        from apps.core.record import services

        rows = list(self)
        for row in rows:
            services.update(row, data=dict(kwargs))
        return len(rows)

    update.alters_data = True  # type: ignore[attr-defined]


VersionedManager = models.Manager.from_queryset(VersionedQuerySet)


class VersionedModel(models.Model):
    """A row whose every change is a version (see ``apps.core.record.versions``), written by the services.

    Subclasses name their API resource so that versions can hold the resource as
    the API shows it, and declare their date rules, which ``clean()`` checks with
    the field at fault named (the database constraints are the guarantee).
    """

    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Number of the current version: 1 when created, +1 on every change."
    )

    # The API collection (``statements``), how an item is addressed, and its serializer (dotted path).
    api_resource: ClassVar[str]
    api_lookup_field: ClassVar[str] = "pk"
    api_serializer: ClassVar[str]
    # Dates governed by the precision field, and a (start, end) pair that must be in order.
    precision_field: ClassVar[str] = "date_precision"
    precision_fields: ClassVar[tuple[str, ...]] = ()
    range_fields: ClassVar[tuple[str, str] | None] = None
    # Lookups beyond the many-to-many fields that the API JSON reads (a version's snapshot prefetches them).
    api_prefetch: ClassVar[tuple[str, ...]] = ()
    # API fields whose change is the world changing (a deadline extended, a position ended): a version
    # changing one of them is an ``update`` unless the writer says otherwise; any other edit is taken to
    # be a ``correction`` of our record (``apps.core.record.versions.reason_for``).
    world_fields: ClassVar[frozenset[str]] = frozenset()

    objects = VersionedManager()

    class Meta:
        abstract = True

    @property
    def public_id(self) -> str:
        return str(getattr(self, self.api_lookup_field))

    def clean(self):
        super().clean()
        errors = {}
        precision = getattr(self, self.precision_field, None) or DatePrecision.DAY
        for name in self.precision_fields:
            value = getattr(self, name)
            if value is None or precision not in PRECISION_RULES:
                continue
            if value.day != 1 or (precision == DatePrecision.YEAR and value.month != 1):
                errors[name] = PRECISION_ERROR.format(precision=precision, rule=PRECISION_RULES[precision])
        if self.range_fields:
            start, end = (getattr(self, name) for name in self.range_fields)
            if start and end and start > end:
                errors[self.range_fields[1]] = f"Must not be before {self.range_fields[0]}."
        if errors:
            raise ValidationError(errors)


class FactModel(VersionedModel, UUIDModel):
    """An event, statement, position or deadline: dated, with a certainty, cited."""

    # The column of its full-text vector on PostgreSQL (``apps.core.query.search``; each fact app's migrations
    # add it, with SQLite's trigram index).
    search_vector: ClassVar[str | None] = "search_vector"

    certainty = models.CharField(
        max_length=16,
        choices=Certainty.choices,
        help_text="How sure the source is: 'reportedly' is reported, never confirmed. Always stated, never assumed.",
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the main date is known; month and year dates are stored as the 1st.",
    )

    class Meta:
        abstract = True
        # Subclasses extend these: ``constraints = [*FactModel.Meta.constraints, …]``.
        constraints = [choices_constraint("certainty", Certainty), choices_constraint("date_precision", DatePrecision)]


class Change(models.Model):
    """One entry of the changes feed: a version of some resource, in the order versions committed.

    Its id is the feed's cursor. Versions are recorded under a lock held until
    commit (``apps.core.record.versions``), so ids are assigned in commit order and a
    client polling the feed never skips an entry that committed late.
    """

    id = models.BigAutoField(primary_key=True)
    resource = models.CharField(max_length=32, help_text="API collection, e.g. 'statements'.")
    object_id = models.CharField(max_length=100, help_text="The item's public id (slug or UUID) at that version.")
    version = models.PositiveIntegerField()
    change = models.CharField(max_length=16, choices=ChangeKind.choices)
    reason = models.CharField(  # noqa: DJ001 -- null: not recorded (older versions), unlike any reason
        max_length=16,
        choices=ChangeReason.choices,
        null=True,
        blank=True,
        help_text="Why: new, update, correction or retraction; null before reasons were kept.",
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "change"
        indexes = [
            models.Index(fields=["resource", "id"], name="core_change_resource_idx"),
            models.Index(fields=["recorded_at", "id"], name="core_change_recorded_idx"),
        ]

    def __str__(self):
        return f"{self.resource}/{self.object_id} v{self.version} {self.change}"


# Bounds on what a client controls, so no single write or row can grow without limit (README "Limits").
MAX_TEXT = 10_000  # characters of a quote, summary, description, assessment, outcome or note
MAX_CITATIONS = 50  # citations per fact
MAX_LINKS = 100  # actors or topics in one of a fact's lists


class SortedLink(models.Model):
    """A fact's many-to-many link table as its filter reads it: with copies of the fact's sort date,
    ``created_at`` and ``updated_at`` (the columns a fact list can be ordered by).

    Django's own through model writes the table; this unmanaged model only reads it, for the columns
    Django does not know, which ``apps.core.migration_ops.sorted_links`` adds, keeps current by triggers
    and indexes with the target first: (topic, date, statement). A filter on one topic then joins the
    links and the page sorts by their columns (``apps.core.api.filters.SlugsFilter``), so that the
    index yields the page's fifty links in order whatever the topic's size (``apps.core.query.listing``).

    A subclass names the same ``db_table`` as the field's through model, the same foreign keys (the
    fact's with a ``related_name``, the target's with ``"+"``), both ``DO_NOTHING``, and the fact's
    first ``Meta.ordering`` field; ``tests/core/test_sorted_links.py`` checks each against its field.
    """

    id = models.BigAutoField(primary_key=True)
    # Copies for the list's other orderings (``?ordering=created_at``, ``-updated_at``…), kept the same way.
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        abstract = True
        managed = False
        default_permissions = ()  # nobody edits it: the fact's own permissions cover its links

    @classmethod
    def join(
        cls, queryset: models.QuerySet, fact_key: str, target_key: str, target: Any, bounds: "Iterable[DateBound]" = ()
    ) -> models.QuerySet:
        """``queryset``'s facts linked to ``target``, joined to their links, whose copies of the fact's
        sort columns are aliased as ``link_alias(name)``: a page sorts by these (``apps.core.query.listing``)."""
        fact = cls._meta.get_field(fact_key)
        assert isinstance(fact, models.ForeignKey)
        prefix = fact.remote_field.related_name
        joined = queryset.filter(**{f"{prefix}__{target_key}": target}).alias(
            **{link_alias(name): models.F(f"{prefix}__{name}") for name in cls.copies()},
            **{link_alias(fact.target_field.name): models.F(f"{prefix}__{fact.attname}")},
        )
        # A date filter's bound, repeated on the copy, lets the link index seek the range.
        for bound in bounds:
            if bound.field in cls.copies():
                joined = joined.filter(bound.condition(link_alias(bound.field)))
        return joined

    @classmethod
    def copies(cls) -> list[str]:
        """The fact's columns this link table keeps a copy of: its sort date, ``created_at``, ``updated_at``."""
        return [f.name for f in cls._meta.concrete_fields if isinstance(f, models.DateField)]


@cache
def sorted_link(field: models.ManyToManyField) -> type[SortedLink] | None:
    """The ``SortedLink`` over ``field``'s link table, or None (looked up once per field)."""
    through: Any = field.remote_field.through
    table = through._meta.db_table
    return next((link for link in SortedLink.__subclasses__() if link._meta.db_table == table), None)


class BoundedTextField(models.TextField):
    """A TextField whose ``max_length`` is enforced by validation everywhere, not only in forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(*args, **kwargs)
        # Not a `validators=` argument: that would be written into every migration.
        self.validators.append(MaxLengthValidator(kwargs["max_length"]))
