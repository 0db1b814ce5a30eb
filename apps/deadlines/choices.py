from django.db import models


class DeadlineKind(models.TextChoices):
    TREATY_EXPIRY = "treaty_expiry", "Treaty expiry"
    MEETING = "meeting", "Meeting"
    VOTE = "vote", "Vote"
    ULTIMATUM = "ultimatum", "Ultimatum"
    PROMISE = "promise", "Promise"
    OTHER = "other", "Other"


class DeadlineStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    EXTENDED = "extended", "Extended"
    CANCELLED = "cancelled", "Cancelled"
    LAPSED = "lapsed", "Lapsed"
