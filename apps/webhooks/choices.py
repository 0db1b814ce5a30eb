from django.db import models


class SubscriptionState(models.TextChoices):
    """Active subscriptions are delivered to; a paused one waits (its cursor kept) until resumed."""

    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"


class DeliveryOutcome(models.TextChoices):
    """How one attempt to post one change ended."""

    DELIVERED = "delivered", "Delivered (2xx)"
    FAILED = "failed", "Failed"
