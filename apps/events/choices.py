from django.db import models


class EventKind(models.TextChoices):
    SUMMIT = "summit", "Summit"
    MEETING = "meeting", "Meeting"
    NEGOTIATION = "negotiation", "Negotiation round"
    INTERVIEW = "interview", "Interview"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    ARREST = "arrest", "Arrest / capture"
    MILITARY_ACTION = "military_action", "Military action"
    LEGISLATION = "legislation", "Legislation"
    SANCTIONS = "sanctions", "Sanctions"
    ELECTION = "election", "Election"
    OTHER = "other", "Other"
