"""Serializer bases shared by every fact."""

from rest_framework import serializers

from apps.core.choices import DatePrecision
from apps.core.services import fact_create, fact_update

PRECISION_ERROR = "A {precision}-precision date must be the {rule}."
PRECISION_RULES = {DatePrecision.MONTH: "1st of its month", DatePrecision.YEAR: "1 January of its year"}


class DatedSerializerMixin:
    """Checks what the database's precision and range constraints check, naming the field at fault.

    ``precision_fields``: the dates governed by ``date_precision``; ``range_fields``: ``(start, end)``.
    """

    precision_fields: tuple[str, ...] = ()
    precision_field = "date_precision"
    range_fields: tuple[str, str] | None = None

    def validate(self, attrs):
        attrs = super().validate(attrs)

        def current(name):
            return attrs[name] if name in attrs else getattr(self.instance, name, None)

        errors = {}
        precision = current(self.precision_field) or DatePrecision.DAY
        for name in self.precision_fields:
            value = current(name)
            if value is None or precision == DatePrecision.DAY:
                continue
            if value.day != 1 or (precision == DatePrecision.YEAR and value.month != 1):
                errors[name] = PRECISION_ERROR.format(precision=precision, rule=PRECISION_RULES[precision])
        if self.range_fields:
            start, end = (current(name) for name in self.range_fields)
            if start and end and start > end:
                errors[self.range_fields[1]] = f"Must not be before {self.range_fields[0]}."
        if errors:
            raise serializers.ValidationError(errors, code="invalid")
        return attrs


class FactSerializer(DatedSerializerMixin, serializers.ModelSerializer):
    """A fact with its citations; saved through ``apps.core.services`` in one transaction."""

    def get_extra_kwargs(self):
        # Certainty is stated, never assumed: a client that omits it gets a 400, not "confirmed".
        extra = super().get_extra_kwargs()
        extra["certainty"] = {**extra.get("certainty", {}), "required": True}
        return extra

    def create(self, validated_data):
        return fact_create(self.Meta.model, **validated_data)

    def update(self, instance, validated_data):
        return fact_update(instance, **validated_data)
