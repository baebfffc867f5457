"""The reports API: the precomputed report tables (read-only, scoped by visibility),
overdue alerts (list, acknowledge), one's own notifications (list, mark read) and report
runs (list; head and analyst start one)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import TeamBriefSerializer
from accounts.models import User
from core import periods
from core.bulk_api import BulkActionMixin
from deals.models import Deal
from reports.filters import (
    ActivityStatFilter,
    ConversionFilter,
    CoverageFilter,
    ForecastSnapshotFilter,
    FulfilmentFilter,
    NotificationFilter,
    OverdueAlertFilter,
    RenewalFilter,
    ReportRunFilter,
)
from reports.forecast import FIGURES as FORECAST_FIGURES
from reports.forecast import forecast
from reports.forms import ForecastForm
from reports.models import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    ForecastSnapshot,
    Notification,
    OverdueAlert,
    PlanFulfilment,
    RenewalReport,
    ReportKind,
    ReportRun,
)
from reports.rules import may_trigger_runs
from reports.selectors import (
    alert_list,
    headline_scope,
    not_renewed_in,
    notification_list,
    report_rows,
    run_list,
)
from reports.services.alerts import alert_acknowledge
from reports.services.notifications import notification_mark_read, notifications_mark_all_read
from reports.services.runs import report_runs_trigger
from reports.services.snapshots import week_of
from reports.snapshots import (
    CHANGE_KINDS,
    forecast_accuracy,
    previous_week_taken,
    snapshot_rows,
    week_changes,
)
from reports.summaries import period_summary


class ReportPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


SCOPE_FIELDS = ["id", "period", "scope", "team", "rep", "as_of", "updated_at"]


class ReportRowSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True, allow_null=True)
    rep = ReportPersonSerializer(read_only=True, allow_null=True)


class ConversionReportSerializer(ReportRowSerializer):
    class Meta:
        model = ConversionReport
        fields = [*SCOPE_FIELDS, *ConversionReport.FIGURES]


class RenewalReportSerializer(ReportRowSerializer):
    class Meta:
        model = RenewalReport
        fields = [*SCOPE_FIELDS, *RenewalReport.FIGURES]


class ActivityStatSerializer(ReportRowSerializer):
    class Meta:
        model = ActivityStat
        fields = [*SCOPE_FIELDS, "period_kind", *ActivityStat.FIGURES]


class PlanFulfilmentSerializer(ReportRowSerializer):
    class Meta:
        model = PlanFulfilment
        fields = [*SCOPE_FIELDS, *PlanFulfilment.FIGURES]


class CoverageReportSerializer(ReportRowSerializer):
    class Meta:
        model = CoverageReport
        fields = [*SCOPE_FIELDS, *CoverageReport.FIGURES]


REPORT_SEARCH = ["team__name", "rep__username", "rep__first_name", "rep__last_name"]


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "period",
        str,
        description="2026-11 (month), 2026-Q4, 2026-YTD or 2026 (default: this month, "
        "or the last full one in a month's first week)",
    ),
    OpenApiParameter(
        "from", datetime.date, description="Start of a custom range (with `to`; wins over `period`)"
    ),
    OpenApiParameter("to", datetime.date, description="End of a custom range"),
    OpenApiParameter("team", int),
    OpenApiParameter("owner", int),
]


class ComparedPeriodSerializer(serializers.Serializer):
    """A report's period beside the previous one and the same one last year (the shape
    `comparison_json` answers); each report names what its `figures` hold."""

    period = serializers.DictField()
    previous = serializers.DictField(help_text="The previous period the totals are compared with.")
    last_year = serializers.DictField(help_text="The same period last year.")
    figures = serializers.ListField(child=serializers.DictField())


class PeriodSummarySerializer(ComparedPeriodSerializer):
    scope = serializers.DictField()


def _json_value(value):
    """Decimals as strings, like every DecimalField of the API."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value


def _figure_json(figure: dict) -> dict:
    return {key: str(value) if key == "label" else _json_value(value) for key, value in figure.items()}


def comparison_json(summary: dict) -> dict:
    """A comparison's ``previous`` and ``last_year`` periods and its ``figures``, as every
    report answer gives them (the summaries, the lost report, the incentives)."""
    return {
        "previous": summary["periods"]["previous"].as_dict(),
        "last_year": summary["periods"]["last_year"].as_dict(),
        "figures": [_figure_json(figure) for figure in summary["figures"]],
    }


class ReportRowViewSet(viewsets.ReadOnlyModelViewSet):
    """Rows of one report table the caller may see: a person their own, a lead their team's
    and their people's, head and analyst every row. Filter by ``month`` (YYYY-MM), ``period``
    (2026-11, 2026-Q4, 2026-YTD, 2026: the rows of its months) or ``from``/``to``,
    ``period_from``/``period_to``, ``scope``, ``team``, ``owner`` and ``updated_since``.
    ``summary/`` gives the figures of a period beside the previous period and the same period
    last year."""

    model: type = ConversionReport
    search_fields = REPORT_SEARCH
    ordering_fields = ["period", "scope", "updated_at"]

    def get_queryset(self):
        return report_rows(self.model, viewer=self.request.user)

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=PeriodSummarySerializer)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def summary(self, request):
        """The headline scope's figures (the chosen person's or team's, else what the caller
        heads) for the period, the previous period and the same period last year, with the
        changes; rates are recomputed from the period's sums."""
        filterset = type(self).filterset_class(
            request.query_params, queryset=self.model.objects.none(), request=request
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        cleaned = filterset.form.cleaned_data
        period = cleaned.get("period_range") or periods.default_period(timezone.localdate())
        scope = headline_scope(request.user, team=cleaned.get("team"), person=cleaned.get("owner"))
        summary = period_summary(self.model, viewer=request.user, scope=scope, period=period)
        return Response(
            {
                "period": period.as_dict(),
                **comparison_json(summary),
                "scope": {
                    "scope": scope["scope"],
                    "team": getattr(scope.get("team"), "pk", scope.get("team_id")),
                    "rep": getattr(scope.get("rep"), "pk", None),
                },
            }
        )


class ConversionReportViewSet(ReportRowViewSet):
    model = ConversionReport
    serializer_class = ConversionReportSerializer
    filterset_class = ConversionFilter
    ordering_fields = [*ReportRowViewSet.ordering_fields, "won", "lost", "win_rate", "leads_created"]


class NotRenewedDealSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    owner = ReportPersonSerializer(read_only=True)
    renewal_in_progress = serializers.BooleanField(read_only=True)
    open_complaints = serializers.IntegerField(read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "title",
            "client",
            "owner",
            "amount",
            "service_end",
            "renewal_in_progress",
            "open_complaints",
        ]

    def get_client(self, deal) -> dict:
        return {"id": deal.client_id, "name": deal.client.name}


class RenewalReportViewSet(ReportRowViewSet):
    model = RenewalReport
    serializer_class = RenewalReportSerializer
    filterset_class = RenewalFilter
    ordering_fields = [*ReportRowViewSet.ordering_fields, "due", "renewed", "rate_by_count", "rate_by_amount"]

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM (default: this month)"),
            OpenApiParameter("team", int),
            OpenApiParameter("owner", int),
        ],
        responses=NotRenewedDealSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="not-renewed", filterset_class=None)
    def not_renewed(self, request):
        """The caller's deals due for renewal in the month that nobody has renewed yet."""
        filterset = RenewalFilter(
            request.query_params, queryset=RenewalReport.objects.none(), request=request
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        cleaned = filterset.form.cleaned_data
        start = cleaned.get("month") or timezone.localdate().replace(day=1)
        deals = not_renewed_in(
            viewer=request.user, month=start, owner=cleaned.get("owner"), team=cleaned.get("team")
        )
        page = self.paginate_queryset(deals)
        return self.get_paginated_response(NotRenewedDealSerializer(page, many=True).data)


class ActivityStatViewSet(ReportRowViewSet):
    model = ActivityStat
    serializer_class = ActivityStatSerializer
    filterset_class = ActivityStatFilter
    ordering_fields = [*ReportRowViewSet.ordering_fields, "period_kind", "calls", "meetings", "below_norm"]


class PlanFulfilmentViewSet(ReportRowViewSet):
    model = PlanFulfilment
    serializer_class = PlanFulfilmentSerializer
    filterset_class = FulfilmentFilter
    ordering_fields = [*ReportRowViewSet.ordering_fields, "booked", "fulfilment_pct", "forecast"]


class CoverageReportViewSet(ReportRowViewSet):
    model = CoverageReport
    serializer_class = CoverageReportSerializer
    filterset_class = CoverageFilter
    ordering_fields = [*ReportRowViewSet.ordering_fields, "won_amount", "clients", "top_share"]


# --- alerts -----------------------------------------------------------------------------------


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


# --- report runs ------------------------------------------------------------------------------------


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


# --- forecast -----------------------------------------------------------------------------------


class ForecastRowSerializer(serializers.Serializer):
    scope = serializers.CharField()
    team = serializers.DictField(allow_null=True)
    rep = serializers.DictField(allow_null=True)
    label = serializers.CharField()
    quota = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    closed = serializers.DecimalField(max_digits=16, decimal_places=2)
    commit = serializers.DecimalField(max_digits=16, decimal_places=2)
    best_case = serializers.DecimalField(max_digits=16, decimal_places=2)
    pipeline = serializers.DecimalField(max_digits=16, decimal_places=2)
    gap = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    months = serializers.ListField(child=serializers.DictField())


class ForecastSerializer(serializers.Serializer):
    period = serializers.DictField()
    rows = ForecastRowSerializer(many=True)


def _forecast_row_json(row) -> dict:
    data = row.as_dict()
    data["months"] = [
        {
            "month": month.strftime("%Y-%m"),
            **{name: _json_value(getattr(part, name)) for name in FORECAST_FIGURES},
        }
        for month, part in row.months.items()
    ]
    return data


class ForecastView(APIView):
    """The forecast for a period: per department (head and analyst), team and person the
    quota (booked plan), closed (won in the period), commit, best case and pipeline (open
    deals expected to close in it, by forecast category) and the gap (quota − closed −
    commit, not below zero), each with its months. Default period: this quarter."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses={200: ForecastSerializer},
    )
    def get(self, request):
        form = ForecastForm(request.query_params, viewer=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        period = form.cleaned_data["period_range"]
        rows = forecast(
            viewer=request.user,
            period=period,
            team=form.cleaned_data.get("team"),
            owner=form.cleaned_data.get("owner"),
        )
        payload = {"period": period.as_dict(), "rows": [_forecast_row_json(row) for row in rows]}
        return Response(ForecastSerializer(payload).data)


# --- forecast snapshots and accuracy --------------------------------------------------------------


class ForecastSnapshotSerializer(serializers.ModelSerializer):
    deal = serializers.SerializerMethodField()
    owner = ReportPersonSerializer(read_only=True)
    team = TeamBriefSerializer(read_only=True, allow_null=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = ForecastSnapshot
        fields = [
            "id",
            "week",
            "deal",
            "owner",
            "team",
            "stage",
            "stage_name",
            "category",
            "amount",
            "expected_close",
            "taken_on",
            "updated_at",
        ]

    def get_deal(self, row) -> dict:
        return {"id": row.deal_id, "title": row.deal.title}


def _change_json(change: dict) -> dict:
    def brief(row):
        if row is None:
            return None
        return {
            "category": row.category,
            "amount": str(row.amount),
            "expected_close": row.expected_close.isoformat() if row.expected_close else None,
            "stage": row.stage.name,
        }

    row = change["now"] or change["before"]
    return {
        "deal": {"id": row.deal_id, "title": row.deal.title},
        "owner": {"id": row.owner_id, "full_name": row.owner.full_name},
        "now": brief(change["now"]),
        "before": brief(change["before"]),
    }


class ForecastSnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    """Each open deal in each week's forecast snapshot (taken on Mondays by the nightly
    run) that the caller may see. Filter by ``week`` (any day of it), ``team``, ``owner``,
    ``category``, ``updated_since``. ``changes/`` lists what changed since the week before."""

    serializer_class = ForecastSnapshotSerializer
    filterset_class = ForecastSnapshotFilter
    ordering_fields = ["week", "amount", "expected_close", "updated_at"]
    ordering = ["-week", "pk"]

    def get_queryset(self):
        return snapshot_rows(viewer=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("week", datetime.date, description="Any day of the week (default: this week)"),
            OpenApiParameter("team", int),
            OpenApiParameter("owner", int),
        ],
        responses=inline_serializer(
            "ForecastChanges",
            fields={kind: serializers.ListField(child=serializers.DictField()) for kind in CHANGE_KINDS}
            | {
                "week": serializers.DateField(),
                "previous_week": serializers.DateField(),
                "previous_week_taken": serializers.BooleanField(),
            },
        ),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def changes(self, request):
        """Deals added, slipped, moved category, won and lost since the previous week's snapshot."""
        filterset = ForecastSnapshotFilter(
            request.query_params, queryset=ForecastSnapshot.objects.none(), request=request
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        cleaned = filterset.form.cleaned_data
        week = week_of(cleaned.get("week") or timezone.localdate())
        changes = week_changes(
            viewer=request.user, week=week, team=cleaned.get("team"), owner=cleaned.get("owner")
        )
        return Response(
            {
                "week": week.isoformat(),
                "previous_week": (week - datetime.timedelta(days=7)).isoformat(),
                "previous_week_taken": previous_week_taken(week),
                **{kind: [_change_json(change) for change in items] for kind, items in changes.items()},
            }
        )


class ForecastAccuracyView(APIView):
    """Forecast accuracy for a period (default: the last full month, see ``core.periods``):
    per person, team and department the commit in the snapshot of the week the period
    starts in (committed deals expected to close in the period), how much of it was won in
    the period (``commit_won``, ``commit_hit`` %), and everything won in the period
    (``closed``, ``accuracy`` = closed in % of commit)."""

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=inline_serializer(
            "ForecastAccuracy",
            fields={
                "period": serializers.DictField(),
                "snapshot_week": serializers.DateField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        form = ForecastForm(request.query_params, viewer=request.user, default="report")
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        period = form.cleaned_data["period_range"]
        week, rows = forecast_accuracy(
            viewer=request.user,
            period=period,
            team=form.cleaned_data.get("team"),
            owner=form.cleaned_data.get("owner"),
        )
        return Response(
            {
                "period": period.as_dict(),
                "snapshot_week": week.isoformat(),
                "rows": [_json_value(row.as_dict()) for row in rows],
            }
        )
