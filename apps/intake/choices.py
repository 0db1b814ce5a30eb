from django.db import models


class DraftKind(models.TextChoices):
    """What a draft would become once accepted: a fact of one of these resources."""

    STATEMENT = "statement", "Statement"
    DEADLINE = "deadline", "Deadline"
    EVENT = "event", "Event"
    ACTOR = "actor", "Actor"
    POSITION = "position", "Position"


class DraftState(models.TextChoices):
    """Proposed by the extractor; accepted as proposed, edited then accepted, or rejected by an editor."""

    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    EDITED = "edited", "Edited and accepted"
    REJECTED = "rejected", "Rejected"
