"""The precomputed report tables (read-only, scoped by visibility): conversion, renewal
(with the deals not renewed yet), activity, plan fulfilment and coverage, each with its
period ``summary/``."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import TeamBriefSerializer
from core import periods
from deals.models import Deal
from reports.api.common import (
    PERIOD_PARAMETERS,
    PeriodSummarySerializer,
    ReportPersonSerializer,
    comparison_json,
)
from reports.filters import (
    ActivityStatFilter,
    ConversionFilter,
    CoverageFilter,
    FulfilmentFilter,
    RenewalFilter,
)
from reports.models import ActivityStat, ConversionReport, CoverageReport, PlanFulfilment, RenewalReport
from reports.selectors import headline_scope, not_renewed_in, report_rows
from reports.summaries import period_summary

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
