from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.webhooks import services
from apps.webhooks.api.serializers import DeliverySerializer, NewSubscriptionSerializer, SubscriptionSerializer
from apps.webhooks.models import Subscription


def as_400(exc: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(serializers.as_serializer_error(exc))


@extend_schema_view(
    list=extend_schema(summary="List your webhook subscriptions", description="Yours only, oldest first."),
    retrieve=extend_schema(
        summary="Get a webhook subscription",
        description="Its state says whether it is paused, "
        "and `paused_reason` why; `cursor` is the last changes-feed entry dealt with.",
    ),
    create=extend_schema(
        summary="Subscribe to changes",
        description="Changes recorded from now on that match are posted to `url`, signed per Standard Webhooks. "
        'The answer carries the `secret`, shown only this once. See README "Webhooks".',
        responses={201: NewSubscriptionSerializer},
    ),
    update=extend_schema(summary="Replace a webhook subscription"),
    partial_update=extend_schema(
        summary="Change a webhook subscription",
        description='`{"state": "active"}` resumes a paused subscription from the change it stopped at.',
    ),
    destroy=extend_schema(summary="Delete a webhook subscription"),
)
class SubscriptionViewSet(viewsets.ModelViewSet):
    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Subscription.objects.none()
        return super().get_queryset().filter(owner=self.request.user)

    def get_serializer_class(self):
        return NewSubscriptionSerializer if self.action in ("create", "rotate_secret") else SubscriptionSerializer

    def perform_create(self, serializer):
        try:
            serializer.instance = services.subscription_create(
                owner=self.request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise as_400(exc) from None

    def perform_update(self, serializer):
        try:
            serializer.instance = services.subscription_update(
                serializer.instance, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as exc:
            raise as_400(exc) from None

    @extend_schema(
        summary="A subscription's delivery log",
        description=f"Its latest attempts, newest first (at most `WEBHOOK_LOG_SIZE`, {settings.WEBHOOK_LOG_SIZE} "
        "by default): the change, attempt, outcome, the receiver's status and the latency.",
        responses={200: DeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def deliveries(self, request, *args, **kwargs):
        subscription = self.get_object()
        rows = subscription.deliveries.order_by("-id")[: settings.WEBHOOK_LOG_SIZE]
        return Response(DeliverySerializer(rows, many=True).data)

    @extend_schema(
        summary="Replace a subscription's secret",
        description="A new signing secret, shown only in this answer; deliveries are signed with it from now on.",
        request=None,
        responses={200: NewSubscriptionSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, *args, **kwargs):
        subscription = services.rotate_secret(self.get_object())
        return Response(NewSubscriptionSerializer(subscription).data)
