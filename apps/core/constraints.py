"""Builders for the database constraints every app repeats.

Names follow ``%(app_label)s_%(class)s_<rule>`` so they are unique per table and
readable in an IntegrityError.
"""

from django.db import models
from django.db.models import F, Q

from apps.core.choices import DatePrecision


def choices_constraint(field: str, choices: type[models.TextChoices], *, nullable: bool = False):
    """Only the enum's values may be stored in ``field``."""
    condition = Q(**{f"{field}__in": choices.values})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=f"%(app_label)s_%(class)s_{field}_valid")


def precision_constraint(*date_fields: str, precision_field: str = "date_precision"):
    """A month-precision date is the 1st of its month; a year-precision date is 1 January."""
    condition = Q()
    for field in date_fields:
        # Written as implications so an unknown precision fails only the *_valid constraint.
        condition &= (
            Q(**{f"{field}__isnull": True})
            | ~Q(**{precision_field: DatePrecision.MONTH}) & ~Q(**{precision_field: DatePrecision.YEAR})
            | Q(**{precision_field: DatePrecision.MONTH, f"{field}__day": 1})
            | Q(**{precision_field: DatePrecision.YEAR, f"{field}__day": 1, f"{field}__month": 1})
        )
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{precision_field}_matches_date",
        violation_error_message="A month-precision date must be the 1st of its month, a year-precision date 1 January.",
    )


def range_constraint(start: str, end: str):
    """``start <= end`` whenever both are known."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__lte": F(end)}),
        name="%(app_label)s_%(class)s_valid_range",
        violation_error_message=f"{start} must not be after {end}.",
    )


def not_blank_constraint(field: str):
    """Required text is not the empty string (blank=False only guards forms)."""
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=f"%(app_label)s_%(class)s_{field}_not_blank")
