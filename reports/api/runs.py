"""Report runs: list them; the head and the analyst start one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from reports.api.common import ReportPersonSerializer
from reports.filters import ReportRunFilter
from reports.models import ReportKind, ReportRun
from reports.rules import may_trigger_runs
from reports.selectors import run_list
from reports.services.runs import report_runs_trigger


class ReportRunSerializer(serializers.ModelSerializer):
    triggered_by = ReportPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "run_date",
            "kind",
            "status",
            "started_at",
            "finished_at",
            "rows_written",
            "rows_total",
            "attempts",
            "error",
            "triggered_by",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, run):
        data = super().to_representation(run)
        # A failed run's error is a traceback: only those who start runs need it (and may see
        # everything it could mention); everyone else sees just the status.
        request = self.context.get("request")
        if request is None or not may_trigger_runs(request.user):
            data["error"] = ""
        return data


class ReportRunRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Default: today in the department's time zone.")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ReportKind.choices),
        required=False,
        help_text="Default: every report.",
    )


class ReportRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Every report run and how it went. POST queues a run (head and analyst only)."""

    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilter
    ordering_fields = ["created_at", "run_date", "kind", "status"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return run_list(viewer=self.request.user)

    # The runs just queued, as a plain array: a many=True serializer on a paginated view would
    # be published as the paginated page object the list answers.
    @extend_schema(
        request=ReportRunRequestSerializer,
        responses={202: {"type": "array", "items": {"$ref": "#/components/schemas/ReportRun"}}},
    )
    def create(self, request, *args, **kwargs):
        if not may_trigger_runs(request.user):
            raise PermissionDenied(_("Only the head of sales and the analyst may start report runs."))
        serializer = ReportRunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        runs = report_runs_trigger(
            by=request.user,
            run_date=serializer.validated_data.get("date") or timezone.localdate(),
            kinds=serializer.validated_data.get("kinds") or list(ReportKind.values),
        )
        # Without a broker the runs have already finished by now: answer with their state.
        runs = self.get_queryset().filter(pk__in=[run.pk for run in runs]).order_by("pk")
        return Response(
            ReportRunSerializer(runs, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )
