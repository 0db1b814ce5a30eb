from django.db import models


class SourceKind(models.TextChoices):
    NEWS = "news", "News report"
    INTERVIEW = "interview", "Interview"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    TREATY_TEXT = "treaty_text", "Treaty text"
    ANALYSIS = "analysis", "Analysis / explainer"
    SOCIAL_MEDIA = "social_media", "Social media post"
    OTHER = "other", "Other"
