from django.db import models


class EntryType(models.TextChoices):
    """What a timeline entry is. Entries on the same date follow in this (alphabetical) order."""

    DEADLINE = "deadline", "Deadline the actor is party to"
    EVENT = "event", "Event the actor took part in"
    POSITION_END = "position_end", "End of one of the actor's positions"
    POSITION_START = "position_start", "Start of one of the actor's positions"
    ROLE_END = "role_end", "End of one of the actor's roles"
    ROLE_START = "role_start", "Start of one of the actor's roles"
    STATEMENT = "statement", "Statement by or about the actor"


class TimelineOrdering(models.TextChoices):
    OLDEST_FIRST = "date", "Oldest first"
    NEWEST_FIRST = "-date", "Newest first"
