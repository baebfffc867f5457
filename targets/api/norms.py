"""/api/v1/ activity norms: per role and per person, and the norm that applies to each.

Serializers check types and references; services decide and write; selectors read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from accounts.models import Role, User
from core.api import VisibleRelatedField
from targets import selectors, services
from targets.filters import (
    NormFilter,
)
from targets.models import (
    ActivityNorm,
)


class NormSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=[("", "—"), *Role.choices], required=False, allow_blank=True)
    user = VisibleRelatedField(User, required=False, allow_null=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ActivityNorm
        fields = ["id", "role", "user", "user_name", "calls_per_day", "meetings_per_week", "updated_at"]
        validators: list = []

    def validate(self, attrs):
        if self.instance is None and bool(attrs.get("role")) == bool(attrs.get("user")):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either a role or a person, not both.")]}
            )
        return attrs


class EffectiveNormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    calls_per_day = serializers.IntegerField()
    meetings_per_week = serializers.IntegerField()
    has_personal_norm = serializers.BooleanField()


class NormViewSet(viewsets.ModelViewSet):
    """Activity norms: per role (the head sets them) and per person (head, or the lead of
    the person's team), a personal norm overriding the role's."""

    serializer_class = NormSerializer
    filterset_class = NormFilter
    ordering_fields = ["role", "updated_at"]
    ordering = ["role", "user"]

    def get_queryset(self):
        return ActivityNorm.objects.visible_to(self.request.user).select_related("user")

    def _save(self, data, norm=None):
        return services.norm_save(
            actor=self.request.user,
            norm=norm,
            role=data.get("role"),
            person=data.get("user"),
            calls_per_day=data.get("calls_per_day"),
            meetings_per_week=data.get("meetings_per_week"),
        )

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.validated_data, norm=serializer.instance)

    def perform_destroy(self, instance):
        services.norm_delete(actor=self.request.user, norm=instance)

    @extend_schema(responses=EffectiveNormSerializer(many=True))
    @action(detail=False, methods=["get"])
    def effective(self, request):
        """Each person you may see with the norm that applies to them."""
        people = (
            selectors.effective_norms(viewer=request.user).filter(is_active=True).order_by("last_name", "pk")
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(EffectiveNormSerializer(page, many=True).data)
