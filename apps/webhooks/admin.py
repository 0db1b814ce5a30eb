"""Webhook subscriptions in the admin: every user's, their state and why paused, and the delivery log.

Saves go through ``apps.webhooks.services`` as the API's do; the secret of a new subscription is shown
once, in the message after saving.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from apps.webhooks import services
from apps.webhooks.choices import SubscriptionState
from apps.webhooks.models import Delivery, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=1000, assume_scheme="https", help_text="Where changes are posted.")

    class Meta:
        model = Subscription
        fields = ["owner", "url", "description", "resources", "changes", "reasons", "filters", "state"]

    def clean(self):
        data = super().clean()
        try:
            services.validate_url(data.get("url") or "")
            services.validate_selection(
                resources_wanted=data.get("resources") or [],
                changes=data.get("changes") or [],
                reasons=data.get("reasons") or [],
                filters=data.get("filters") or {},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = readonly_fields = ("change_id", "attempt", "outcome", "status_code", "latency_ms", "error", "attempted_at")
    extra = 0
    can_delete = False
    ordering = ["-id"]
    verbose_name_plural = "delivery log (latest first)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["url", "owner", "state", "paused_reason", "cursor", "failures", "last_delivered_at"]
    list_filter = ["state"]
    list_select_related = ["owner"]
    search_fields = ["url", "description", "owner__username"]
    readonly_fields = [
        "paused_reason", "cursor", "failures", "next_attempt_at", "last_delivered_at", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [DeliveryInline]
    actions = ["pause", "resume"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "owner"}
        if change:
            # As stored, not as the form left it: pausing and resuming depend on the state it had.
            services.subscription_update(Subscription.objects.get(pk=obj.pk), data=data)
        else:
            services.subscription_create(owner=form.cleaned_data["owner"], data=data, subscription=obj)
            self.message_user(request, f"The signing secret, shown only now: {obj.secret}", messages.WARNING)

    @admin.action(description="Pause the selected subscriptions")
    def pause(self, request, queryset):
        for subscription in queryset.filter(state=SubscriptionState.ACTIVE):
            services.subscription_update(subscription, data={"state": SubscriptionState.PAUSED})

    @admin.action(description="Resume the selected subscriptions (from the change each stopped at)")
    def resume(self, request, queryset):
        for subscription in queryset.filter(state=SubscriptionState.PAUSED):
            try:
                services.subscription_update(subscription, data={"state": SubscriptionState.ACTIVE})
            except ValidationError as exc:  # its filters no longer hold: they must be changed first
                self.message_user(request, f"{subscription}: {'; '.join(exc.messages)}", messages.ERROR)
