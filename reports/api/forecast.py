"""The forecast for a period, the weekly forecast snapshots with what changed since the
week before, and the forecast's accuracy."""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api import TeamBriefSerializer
from reports.api.common import PERIOD_PARAMETERS, ReportPersonSerializer, _json_value
from reports.filters import ForecastSnapshotFilter
from reports.forecast import FIGURES as FORECAST_FIGURES
from reports.forecast import forecast
from reports.forms import ForecastForm
from reports.models import ForecastSnapshot
from reports.services.snapshots import week_of
from reports.snapshots import (
    CHANGE_KINDS,
    forecast_accuracy,
    previous_week_taken,
    snapshot_rows,
    week_changes,
)


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
