"""Overdue alerts (list, acknowledge) and one's own notifications (list, mark read)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.bulk_api import BulkActionMixin
from reports.api.common import ReportPersonSerializer
from reports.filters import NotificationFilter, OverdueAlertFilter
from reports.models import Notification, OverdueAlert
from reports.selectors import alert_list, notification_list
from reports.services.alerts import alert_acknowledge
from reports.services.notifications import notification_mark_read, notifications_mark_all_read


class OverdueAlertSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    deal = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    acknowledged_by = ReportPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = OverdueAlert
        fields = [
            "id",
            "installment",
            "client",
            "deal",
            "owner",
            "status",
            "level",
            "due_date",
            "days_overdue",
            "bucket",
            "outstanding",
            "reason",
            "promised_date",
            "opened_on",
            "escalated_on",
            "resolved_on",
            "checked_on",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledgement",
            "updated_at",
        ]

    def get_client(self, alert) -> dict:
        client = alert.client
        return {"id": client.pk, "name": client.name}

    def get_deal(self, alert) -> dict:
        deal = alert.installment.deal
        return {"id": deal.pk, "title": deal.title}

    def get_owner(self, alert) -> dict:
        owner = alert.installment.deal.owner
        return {"id": owner.pk, "username": owner.username, "full_name": owner.full_name}


class AcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


class OverdueAlertViewSet(BulkActionMixin, viewsets.ReadOnlyModelViewSet):
    """One alert per overdue installment the caller may see, kept current every night."""

    serializer_class = OverdueAlertSerializer
    filterset_class = OverdueAlertFilter
    bulk_resource = "alerts"
    search_fields = ["client__name", "installment__deal__title"]
    ordering_fields = ["days_overdue", "outstanding", "due_date", "updated_at"]
    ordering = ["-days_overdue", "pk"]

    def get_queryset(self):
        return alert_list(viewer=self.request.user)

    @extend_schema(request=AcknowledgeSerializer, responses=OverdueAlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Say what is being done about it (owner, their lead, the head or an assistant of the team)."""
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = alert_acknowledge(by=request.user, alert_id=pk, comment=serializer.validated_data["comment"])
        return Response(OverdueAlertSerializer(self.get_queryset().get(pk=alert.pk)).data)


# --- notifications ------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    alert = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "level",
            "alert",
            "task",
            "digest_on",
            "read_at",
            "emailed_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OverdueAlertSerializer(allow_null=True))
    def get_alert(self, notification) -> dict | None:
        """The alert while the caller may still see it (``alert_visible``, from
        ``notification_list``); null once it moved to another team or owner."""
        if not getattr(notification, "alert_visible", False):
            return None
        return OverdueAlertSerializer(notification.alert, context=self.context).data


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own notifications (nobody sees anybody else's)."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return notification_list(viewer=self.request.user).select_related(
            "alert__installment__deal__owner", "alert__acknowledged_by"
        )

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(by=request.user, notification_id=pk)
        return Response(NotificationSerializer(self.get_queryset().get(pk=notification.pk)).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsRead", fields={"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notifications_mark_all_read(by=request.user)})
