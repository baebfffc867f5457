"""/api/v1/tasks/: list, plan, change, delete, and complete (log the activity, plan the next).

Serializers check types and references; the services decide and write."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from clients import selectors, services
from clients.api import ActivitySerializer, BoundedDateTimeField, MayChangeObject, VisibleStaffField
from clients.filters import TaskFilter
from clients.models import Client, Contact, Task, TaskKind
from core.api import (
    CONFLICT,
    IF_MATCH,
    PRECONDITION_FAILED,
    VersionedDetail,
    VisibleRelatedField,
    expected_version,
)
from core.bulk_api import BulkActionMixin
from core.filters import check_date_in_range
from core.idempotency import AnswersNotKept


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        try:
            check_date_in_range(result)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return result


class TaskSerializer(serializers.ModelSerializer):
    client = VisibleRelatedField(Client, help_text=_("Set on creation; a task does not move."))
    client_name = serializers.CharField(source="client.name", read_only=True)
    contact = VisibleRelatedField(Contact, required=False, allow_null=True)
    deal = VisibleRelatedField("deals.Deal", required=False, allow_null=True)
    owner = VisibleStaffField(required=False, help_text=_("Who does it. Defaults to you."))
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    due_date = BoundedDateField()
    due_time = serializers.TimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=24 * 60
    )
    title = serializers.CharField(max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        model = Task
        fields = [
            "id",
            "kind",
            "title",
            "client",
            "client_name",
            "contact",
            "deal",
            "owner",
            "owner_name",
            "due_date",
            "due_time",
            "duration_minutes",
            "status",
            "done_by",
            "done_at",
            "cancelled_by",
            "cancelled_at",
            "activity",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "done_by",
            "done_at",
            "cancelled_by",
            "cancelled_at",
            "activity",
            "created_at",
            "updated_at",
        ]


@extend_schema_field({"type": "string", "example": "2026-12-04T10:30"})
class DueAtField(serializers.Field):
    """A day ("2026-12-04") or a moment ("2026-12-04T10:30"): a moment gives the task a time."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or len(value) > 40:
            raise serializers.ValidationError(_("Give a date (YYYY-MM-DD) or a date and time."))
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            try:
                check_date_in_range(day)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
            return day
        moment = BoundedDateTimeField().to_internal_value(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.replace(tzinfo=None)

    def to_representation(self, value):
        return value.isoformat()


class NextTaskSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TaskKind.choices, default=TaskKind.CALL)
    title = serializers.CharField(max_length=300)
    due_at = DueAtField()


def _next_for_service(data: dict) -> dict:
    due = data["due_at"]
    if isinstance(due, datetime.datetime):
        return {"kind": data["kind"], "title": data["title"], "due_date": due.date(), "due_time": due.time()}
    return {"kind": data["kind"], "title": data["title"], "due_date": due, "due_time": None}


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    next = NextTaskSerializer(required=False, allow_null=True)


COMPLETED = inline_serializer(
    "TaskCompleted",
    fields={"activity": ActivitySerializer(), "next": TaskSerializer(allow_null=True)},
)


def _nested_next_errors(error: DjangoValidationError) -> DjangoValidationError | serializers.ValidationError:
    """The service keys the next task's errors ``next_<field>``; the API nests them."""
    messages = error.message_dict
    nested = {key[5:]: value for key, value in messages.items() if key.startswith("next_")}
    if not nested:
        return error
    if "due_date" in nested or "due_time" in nested:
        nested["due_at"] = nested.pop("due_date", []) + nested.pop("due_time", [])
    flat = {key: value for key, value in messages.items() if not key.startswith("next_")}
    return serializers.ValidationError({**flat, "next": nested})


class TaskViewSet(VersionedDetail, BulkActionMixin, viewsets.ModelViewSet):
    """Tasks you may see: yours, your team's (a lead, an assistant), everyone's (the head), and
    every task on a client you see. A lead and an assistant plan tasks for their team."""

    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated, MayChangeObject]
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter
    bulk_resource = "tasks"

    def get_queryset(self):
        return selectors.task_list(viewer=self.request.user).select_related("done_by", "cancelled_by")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[IF_MATCH], responses={200: TaskSerializer, **CONFLICT, **PRECONDITION_FAILED})
    def update(self, request, *args, **kwargs):
        task = self.get_object()
        serializer = self.get_serializer(task, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        client = changes.pop("client", task.client)
        if client.pk != task.client_id:
            raise serializers.ValidationError({"client": [_("A task cannot move to another client.")]})
        task = services.task_update(by=request.user, task=task, shown=expected_version(request), **changes)
        return Response(self.get_serializer(task).data)

    @extend_schema(parameters=[IF_MATCH], responses={200: TaskSerializer, **CONFLICT, **PRECONDITION_FAILED})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.task_delete(by=request.user, task=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CompleteSerializer, responses={200: COMPLETED, **CONFLICT})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close the task: log its activity with the outcome (required for calls and meetings)
        and, with ``next``, plan the next task for the same owner, client, contact and deal."""
        task = self.get_object()
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        next_data = body.validated_data.get("next")
        next_task = _next_for_service(next_data) if next_data else None
        try:
            activity, planned = services.task_complete(
                by=request.user, task=task, outcome=body.validated_data["outcome"], next_task=next_task
            )
        except DjangoValidationError as error:
            raise _nested_next_errors(error) from None
        context = self.get_serializer_context()
        return Response(
            {
                "activity": ActivitySerializer(activity, context=context).data,
                "next": TaskSerializer(planned, context=context).data if planned else None,
            }
        )


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True, help_text=_("The secret iCalendar address of your open tasks.")
    )
    rotated_at = serializers.DateTimeField(read_only=True, help_text=_("When this address was made."))


class CalendarFeedView(AnswersNotKept, APIView):
    """Your calendar feed: GET its address; POST makes a new one (the old one stops working)."""

    permission_classes = [IsAuthenticated]

    def _answer(self, request, day, code=status.HTTP_200_OK) -> Response:
        url = request.build_absolute_uri(reverse("calendar_feed", args=[day.feed_token]))
        return Response(
            CalendarFeedSerializer({"url": url, "rotated_at": day.feed_rotated_at}).data, status=code
        )

    @extend_schema(responses={200: CalendarFeedSerializer})
    def get(self, request):
        return self._answer(request, services.day_settings_of(request.user))

    @extend_schema(request=None, responses={200: CalendarFeedSerializer})
    def post(self, request):
        return self._answer(request, services.feed_rotate(by=request.user))
