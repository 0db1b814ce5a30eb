"""Versions of every fact, actor, topic, source and role, on django-simple-history's tables.

simple-history generates, per model, a historical table with every column of the
model and, per many-to-many field, a historical link table keyed by the version.
Those columns are what make ``as_of`` queryable with the same filters as the
live lists (django-reversion keeps a version as serialized text, which no filter
can reach). What simple-history does *not* decide here is when a version is
written: its signal handlers would write one row per ``save()`` and one more per
link change, and miss citations. So they are switched off, and
``apps.core.record.versions.record`` writes exactly one version per change of the whole
fact, called only by the services in ``apps.core.record.services``.
"""

from django.db import models
from simple_history.models import HistoricalRecords as _HistoricalRecords

from apps.core.choices import ChangeKind, ChangeReason


class VersionFields(models.Model):
    """Added to every historical table: what a version is beyond the row's own columns."""

    change = models.CharField(max_length=16, choices=ChangeKind.choices, default=ChangeKind.CHANGED)
    reason = models.CharField(  # noqa: DJ001 -- null: not recorded (older versions), unlike any reason
        max_length=16,
        choices=ChangeReason.choices,
        null=True,
        blank=True,
        help_text="Why it was written: new, update (the world changed), correction or retraction. "
        "Null for versions recorded before reasons were kept.",
    )
    changed_fields = models.JSONField(default=list, help_text="API fields that differ from the previous version.")
    # When the next version replaced this one: a version is current at T when
    # history_date <= T < superseded_at (or superseded_at is null).
    superseded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, help_text="The resource exactly as the API returned it at this version.")
    # Which representation ``data`` is in: 1 for every version recorded before representations were
    # numbered; reads bring it to today's through the resource's upcasters (``apps.core.record.versions``).
    data_schema = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True


class HistoricalRecords(_HistoricalRecords):
    """simple-history's tables, with versions written only by ``apps.core.record.versions.record``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bases", [VersionFields])
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls._history_records = self

    # The signal handlers would record partial versions; the services record whole ones.
    def post_save(self, instance, created, using=None, **kwargs):
        return

    def post_delete(self, instance, using=None, **kwargs):
        return

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **_):
        return

    def m2m_history_model(self, field):
        """The historical link table of many-to-many ``field``."""
        return self.m2m_models[field]
