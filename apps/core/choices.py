"""Choice sets shared by every fact. Values are stable API strings."""

from django.db import models


class Certainty(models.TextChoices):
    """How sure the source is. "Reportedly" is REPORTED, never CONFIRMED."""

    CONFIRMED = "confirmed", "Confirmed"
    REPORTED = "reported", "Reported"
    DISPUTED = "disputed", "Disputed"
    CLAIMED = "claimed", "Claimed"


class DatePrecision(models.TextChoices):
    """How much of a date is known. A month-precision date is the 1st of that month."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class ChangeKind(models.TextChoices):
    """What a version records. A revert restores an older version as a new one."""

    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    REVERTED = "reverted", "Reverted"


class ChangeReason(models.TextChoices):
    """Why a version was written: the world changed, or our record of it was wrong (issue 23)."""

    NEW = "new", "New"
    UPDATE = "update", "Update"
    CORRECTION = "correction", "Correction"
    RETRACTION = "retraction", "Retraction"
