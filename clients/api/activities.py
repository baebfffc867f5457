"""/api/v1/activities/: calls, meetings, e-mails, visits and notes on the clients one sees."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.saved_views import SavedViewFilter
from clients import selectors, services
from clients.api.common import BoundedDateTimeField, MayChangeObject, _reject_move
from clients.filters import ActivityFilter
from clients.models import Activity, Client, Contact
from core.api import VisibleRelatedField


class ActivitySerializer(serializers.ModelSerializer):
    client = VisibleRelatedField(Client, help_text=_("Set on creation; an activity does not move."))
    client_name = serializers.CharField(source="client.name", read_only=True)
    contact = VisibleRelatedField(Contact, required=False, allow_null=True)
    deal = VisibleRelatedField("deals.Deal", required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("Who logged it."))
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    occurred_at = BoundedDateTimeField(required=False, help_text=_("Defaults to now."))

    class Meta:
        model = Activity
        fields = [
            "id",
            "client",
            "client_name",
            "kind",
            "direction",
            "contact",
            "deal",
            "owner",
            "owner_name",
            "occurred_at",
            "duration_minutes",
            "outcome",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ActivityViewSet(viewsets.ModelViewSet):
    """Calls, meetings, e-mails, visits and notes on the clients you may see. The one who
    logs an activity owns it. What comes next is a task (/api/v1/tasks/)."""

    serializer_class = ActivitySerializer
    permission_classes = [IsAuthenticated, MayChangeObject]
    filter_backends = [SavedViewFilter, DjangoFilterBackend]
    filterset_class = ActivityFilter

    def get_queryset(self):
        return selectors.activity_list(viewer=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_log(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        _reject_move(serializer, activity, "client", _("An activity cannot move to another client."))
        activity = services.activity_update(by=request.user, activity=activity, **serializer.validated_data)
        return Response(self.get_serializer(activity).data)

    def destroy(self, request, *args, **kwargs):
        services.activity_delete(by=request.user, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
