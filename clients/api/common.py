"""What the clients API's endpoints (and the tasks API) share: the write permission, the
bounded datetime, the visible-staff field, and refusing to move a record to another client."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import User
from accounts.visibility import can_write
from core.filters import check_date_in_range


class MayChangeObject(BasePermission):
    """Reading follows visibility (the queryset); changing a visible record needs write
    access, else 403 — decided by accounts.visibility, like everywhere else."""

    message = _("You may not change this record.")

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_write(request.user, obj)


class BoundedDateTimeField(serializers.DateTimeField):
    """A datetime in the years the database and time-zone arithmetic handle (1900–9998):
    year 1 is a 400, not an OverflowError."""

    def to_internal_value(self, value):
        try:
            result = super().to_internal_value(value)
        except OverflowError:  # parsed, but too early or late to shift into a time zone
            result = datetime.datetime.min
        try:
            check_date_in_range(result)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return result


@extend_schema_field(OpenApiTypes.INT)
class VisibleStaffField(serializers.PrimaryKeyRelatedField):
    """An active member of staff the requesting user sees; anyone else reads as "does not
    exist", exactly like a made-up id (no name of a hidden person comes back)."""

    def get_queryset(self):
        return User.objects.visible_to(self.context["request"].user).filter(is_active=True)


def _reject_move(serializer, instance, field: str, message) -> None:
    new = serializer.validated_data.pop(field, None)
    if new is not None and new.pk != getattr(instance, f"{field}_id"):
        raise serializers.ValidationError({field: [message]})
