from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.idempotency import AnswersNotKept
from integrations import services
from integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from integrations.selectors import delivery_list, webhook_list


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices), max_length=20)
    url = serializers.CharField(max_length=500)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "secret",
            "failure_streak",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "secret",
            "failure_streak",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        ]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "uuid",
            "event",
            "object_id",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
        ]


def _as_drf(invalid: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(
        invalid.message_dict if hasattr(invalid, "error_dict") else {"non_field_errors": invalid.messages}
    )


class WebhookViewSet(AnswersNotKept, viewsets.ModelViewSet):
    """The head's webhooks: HTTPS endpoints that receive each chosen event as the record's API
    JSON, signed (``X-Salesdept-Signature: t=…,v1=<HMAC-SHA256 of "t.body">``), retried with
    backoff, disabled after repeated failures. Other roles get 403."""

    serializer_class = WebhookSerializer
    queryset = WebhookEndpoint.objects.none()
    search_fields = ["url", "description"]
    ordering_fields = ["url", "updated_at"]
    ordering = ["url", "pk"]

    def get_queryset(self):
        return webhook_list(viewer=self.request.user)

    def _save(self, call, **kwargs):
        try:
            return call(by=self.request.user, **kwargs)
        except ValidationError as invalid:
            raise _as_drf(invalid) from None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        endpoint = self._save(
            services.webhook_create,
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
        )
        return Response(WebhookSerializer(endpoint).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        endpoint = self.get_object()
        serializer = self.get_serializer(endpoint, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        endpoint = self._save(services.webhook_update, endpoint=endpoint, **serializer.validated_data)
        return Response(WebhookSerializer(endpoint).data)

    def perform_destroy(self, instance):
        services.webhook_delete(by=self.request.user, endpoint=instance)

    @extend_schema(request=None, responses=WebhookSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint = services.webhook_rotate_secret(by=request.user, endpoint=self.get_object())
        return Response(WebhookSerializer(endpoint).data)

    @extend_schema(request=None, responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The endpoint's delivery log, newest first."""
        queryset = delivery_list(viewer=request.user, endpoint=self.get_object()).order_by(
            "-created_at", "-pk"
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)
