"""Webhook subscriptions and their delivery log.

The changes feed (``apps.core.models.Change``) is the outbox: nothing is queued
when a fact is written. Each subscription keeps a cursor, the id of the last
feed entry it has dealt with (delivered, or passed over as not matching), and
``manage.py deliver`` moves it forward (``apps.webhooks.services``). A worker
holds a subscription by a lease (``lease_until``), so a killed worker's
subscription is taken up by another once the lease runs out, from its cursor.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.constraints import choices_constraint
from apps.core.models import UUIDModel
from apps.webhooks.choices import DeliveryOutcome, SubscriptionState


class Subscription(UUIDModel):
    """A receiver's URL and which changes it wants: resources, change kinds and the lists' own filters."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(max_length=1000, help_text="Where changes are posted (https outside DEBUG).")
    description = models.CharField(max_length=200, blank=True)
    resources = models.JSONField(default=list, blank=True, help_text="Resources wanted (`statements`…); empty: all.")
    changes = models.JSONField(default=list, blank=True, help_text="Change kinds wanted (`created`…); empty: all.")
    reasons = models.JSONField(
        default=list, blank=True, help_text="Reasons wanted (`correction`, `retraction`…); empty: all."
    )
    filters = models.JSONField(
        default=dict,
        blank=True,
        help_text="The list's own filters ({'speaker': ['putin'], 'topic': ['nato']}), for one resource only.",
    )
    # Standard Webhooks' form: "whsec_" and the base64 of the key. Kept as it is: signing needs the key.
    secret = models.CharField(max_length=100, editable=False)
    state = models.CharField(max_length=8, choices=SubscriptionState.choices, default=SubscriptionState.ACTIVE)
    paused_reason = models.CharField(max_length=500, blank=True, help_text="Why delivery stopped, when paused.")
    cursor = models.BigIntegerField(default=0, help_text="Id of the last changes-feed entry dealt with.")
    failures = models.PositiveIntegerField(default=0, help_text="Consecutive failed attempts at the next change.")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="Not before this (backing off).")
    last_delivered_at = models.DateTimeField(null=True, blank=True)
    # The worker holding the subscription, until when: one worker at a time, so changes go in order.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "webhook subscription"
        constraints = [choices_constraint("state", SubscriptionState)]
        indexes = [
            # What a worker claims: active subscriptions, the longest waiting first.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhooks_sub_due_idx",
                condition=Q(state=SubscriptionState.ACTIVE),
            ),
        ]

    def __str__(self):
        return f"{self.url} ({self.state})"


class Delivery(models.Model):
    """One attempt to post one change to one subscription; the latest ``WEBHOOK_LOG_SIZE`` are kept."""

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    change_id = models.BigIntegerField(help_text="The changes-feed entry (its `webhook-id`).")
    attempt = models.PositiveIntegerField(help_text="1 for the first attempt at this change, +1 per retry.")
    outcome = models.CharField(max_length=16, choices=DeliveryOutcome.choices)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The receiver's HTTP status.")
    latency_ms = models.PositiveIntegerField(help_text="From sending the request to the answer (or the error).")
    error = models.CharField(max_length=500, blank=True)
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [choices_constraint("outcome", DeliveryOutcome)]
        indexes = [models.Index(fields=["subscription", "-id"], name="webhooks_delivery_sub_idx")]

    def __str__(self):
        return f"change {self.change_id} → {self.subscription_id}: {self.outcome} (attempt {self.attempt})"
