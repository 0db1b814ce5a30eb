from rest_framework import serializers

from apps.core.api.fields import StrictCharField
from apps.core.choices import ChangeKind, ChangeReason
from apps.webhooks.models import Delivery, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    """A webhook subscription: where to post, and which changes (``apps.webhooks.services`` checks them).

    ``filters`` are the list's own query parameters for one resource, each a list of values
    (``{"speaker": ["vladimir-putin"], "topic": ["nato"]}``). A change is delivered when the fact
    matches them as it is after the change, or as it was before it (so a fact leaving the filter is
    delivered too). The secret is shown once, in the answer to the create."""

    url = serializers.URLField(max_length=1000, help_text="Where changes are posted: https (outside development).")
    description = StrictCharField(max_length=200, required=False, allow_blank=True)
    resources = serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        max_length=20,
        help_text="Resources wanted (`statements`, `deadlines`…); empty or absent: all.",
    )
    changes = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeKind.choices),
        required=False,
        max_length=len(ChangeKind.choices),
        help_text="Change kinds wanted; empty or absent: all.",
    )
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeReason.choices),
        required=False,
        max_length=len(ChangeReason.choices),
        help_text="Reasons wanted (`correction`, `retraction`…: a newsroom acting on corrections); empty: all.",
    )
    filters = serializers.DictField(
        child=serializers.ListField(child=StrictCharField(max_length=200), min_length=1, max_length=100),
        required=False,
        help_text="The list's filters (one resource only), each a list of values, as its query parameters.",
    )

    class Meta:
        model = Subscription
        fields = [
            "id", "url", "description", "resources", "changes", "reasons", "filters", "state", "paused_reason",
            "cursor", "failures", "next_attempt_at", "last_delivered_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "paused_reason", "cursor", "failures", "next_attempt_at", "last_delivered_at", "created_at",
            "updated_at",
        ]  # fmt: skip
        extra_kwargs = {
            "state": {"help_text": "`paused` stops delivery; `active` resumes it at the change it stopped at."},
        }


class NewSubscriptionSerializer(SubscriptionSerializer):
    """A subscription as created: with its secret, which is never shown again."""

    secret = serializers.CharField(
        read_only=True,
        help_text="The signing secret (`whsec_…`), shown only now: keep it to verify `webhook-signature`.",
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    """One attempt to post one change."""

    class Meta:
        model = Delivery
        fields = ["change_id", "attempt", "outcome", "status_code", "latency_ms", "error", "attempted_at"]
        read_only_fields = fields
