"""``?as_of=``: a list, an item or an export read from the versions current at a moment."""

import datetime
from functools import cached_property

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions, serializers

from apps.core.api.mixins.record import RecordViewMixin
from apps.core.api.reader import Row
from apps.core.choices import ChangeKind
from apps.core.record.versions import current_at, history_model, upcast, version_data


def parse_as_of(raw: str) -> datetime.datetime:
    # An unescaped "+" in a query string arrives as a space: "…T12:00:00 02:00".
    raw = raw.strip().replace(" ", "+")
    try:
        # A bare date is refused rather than guessed: its start and its end are both plausible.
        value = parse_datetime(raw) if "T" in raw.upper() else None
    except ValueError:
        value = None
    if value is None:
        raise exceptions.ValidationError(
            {"as_of": ["Use an ISO 8601 date and time, e.g. 2026-01-17T12:00:00Z."]}, code="invalid"
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    try:
        # PostgreSQL takes offsets up to ±15:59 only; UTC is what the database compares anyway.
        return value.astimezone(datetime.UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 is before the first representable moment
        raise exceptions.ValidationError({"as_of": ["Out of the range of dates."]}, code="invalid") from None


def iso(moment: datetime.datetime | None) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if moment else "an unknown time"


def recorded_rows(queryset, extra) -> list[Row]:
    """Version rows (an ``as_of`` page) as the JSON each recorded, in today's representation
    (``apps.core.record.versions.version_data``), read as values. The cursor's columns are kept."""
    history = queryset.model
    rows = queryset.values("history_id", "data", "data_schema", *extra)
    return [
        Row(upcast(history.instance_type, row["data"], row["data_schema"]), row)
        if row["data"]
        else Row(version_data(history.objects.get(history_id=row["history_id"])), row)
        for row in rows
    ]


class VersionDataSerializer(serializers.BaseSerializer):
    """A version row shown as the resource it recorded, in today's representation."""

    def to_representation(self, instance):
        return version_data(instance)


class AsOfMixin(RecordViewMixin):
    """Reads ``as_of`` a moment: the versions then current, each in today's representation."""

    @cached_property
    def as_of(self) -> datetime.datetime | None:
        raw = self.request.query_params.get("as_of")
        if not raw or self.action not in ("list", "retrieve", "export"):
            return None
        return parse_as_of(raw)

    def get_queryset(self):
        if self.as_of is not None:
            return current_at(self.model, self.as_of).order_by(*self.model._meta.ordering)
        return super().get_queryset()

    def get_serializer_class(self):
        if self.as_of is not None:
            return VersionDataSerializer
        return super().get_serializer_class()

    def get_object(self):
        if self.as_of is None:
            return super().get_object()
        try:
            row = self.get_queryset().filter(**{self.history_lookup(): self.lookup_value()}).first()
        except DjangoValidationError:
            row = None
        if row is None:
            raise self.not_recorded_at(self.as_of)
        return row

    def not_recorded_at(self, when: datetime.datetime) -> exceptions.NotFound:
        """Why the URL's row has no version current at ``when``: not yet recorded, or already deleted."""
        noun = self.model._meta.verbose_name
        try:
            versions = history_model(self.model).objects.filter(**{self.history_lookup(): self.lookup_value()})
            first = versions.order_by("history_date").values_list("history_date", flat=True).first()
            deleted = (
                versions.filter(change=ChangeKind.DELETED, history_date__lte=when)
                .order_by("-history_date")
                .values_list("history_date", flat=True)
                .first()
            )
        except DjangoValidationError:
            first = deleted = None
        if first is None:
            return exceptions.NotFound(f"No {noun} with this id was ever recorded.")
        if first > when:
            return exceptions.NotFound(
                f"This {noun} was first recorded at {iso(first)}, after {iso(when)}: "
                f"the record holds nothing of it before then."
            )
        return exceptions.NotFound(
            f"This {noun} was deleted at {iso(deleted)}; it was not in the record at {iso(when)}."
        )
