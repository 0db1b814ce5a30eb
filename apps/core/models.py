"""Abstract bases shared by every app."""

import uuid

from django.db import models

from apps.core.choices import Certainty, DatePrecision


class ProtectedLinksMixin:
    """Refuse to delete a row that facts still list in a many-to-many field.

    Foreign keys to actors and topics are PROTECT in the database; the links in
    ``participants``, ``about``, ``actors`` and ``topics`` would otherwise vanish
    silently (and without a history record on the fact) when the row is deleted.
    """

    def linked_objects(self) -> list:
        linked = []
        for relation in self._meta.related_objects:
            if relation.many_to_many:
                linked.extend(getattr(self, relation.get_accessor_name()).all())
        return linked

    def delete(self, *args, **kwargs):
        if linked := self.linked_objects():
            raise models.ProtectedError(f"{self} is still linked from {len(linked)} fact(s).", set(linked))
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


class FactModel(UUIDModel):
    """An event, statement, position or deadline: dated, with a certainty, cited."""

    certainty = models.CharField(
        max_length=16,
        choices=Certainty.choices,
        default=Certainty.CONFIRMED,
        help_text="How sure the source is: 'reportedly' is reported, never confirmed.",
    )
    date_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the main date is known; month and year dates are stored as the 1st.",
    )

    class Meta:
        abstract = True
