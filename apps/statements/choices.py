from django.db import models


class StatementKind(models.TextChoices):
    """A direct quote is the speaker's own words, verbatim; anything else is a paraphrase."""

    DIRECT_QUOTE = "direct_quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase"
