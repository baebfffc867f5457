"""GET /api/v1/reports/lost/: the period's lost deals grouped by reason, stage reached,
competitor, owner or team (reports.lost), with the totals; only deals the caller sees."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api import PERIOD_PARAMETERS, ComparedPeriodSerializer, comparison_json
from reports.lost import GROUP_CHOICES, lost_comparison, lost_report
from reports.lost_forms import LostReportForm

MONEY = {"max_digits": 16, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 1}


class LostRowSerializer(serializers.Serializer):
    key = serializers.JSONField(
        help_text="The reason's, stage's, owner's or team's id, the competitor's name in lower "
        "case; null for no reason given, no stage recorded, no team or no competitor named."
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    share = serializers.DecimalField(allow_null=True, help_text="% of the lost deals (by count).", **RATE)
    won = serializers.IntegerField(
        allow_null=True, help_text="Competitor rows: deals won where it was named."
    )
    win_rate = serializers.DecimalField(
        allow_null=True, help_text="Competitor rows: won ÷ (won + lost), in %.", **RATE
    )


class LostTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    won_against_competitors = serializers.IntegerField()
    lost_to_competitors = serializers.IntegerField()
    win_rate_against_competitors = serializers.DecimalField(allow_null=True, **RATE)


class LostReportSerializer(ComparedPeriodSerializer):
    figures = serializers.ListField(
        child=serializers.DictField(),
        help_text="The totals (count, amount, competitor_win_rate) for the period, the previous "
        "period and the same period last year, with the changes (as in the report summaries).",
    )
    group_by = serializers.ChoiceField(choices=GROUP_CHOICES)
    totals = LostTotalsSerializer()
    rows = LostRowSerializer(many=True)


class LostReportView(APIView):
    """Deals closed as lost in the period (by close date) that the caller sees (a rep their
    own, a lead the team's, the head and the analyst everyone's), grouped by ``group_by``:
    count, amount and share of each row; for competitors also the deals won where it was
    named and the win rate against it. Bad parameters answer 400."""

    @extend_schema(
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter("group_by", str, enum=[value for value, _label in GROUP_CHOICES]),
        ],
        responses={200: LostReportSerializer},
    )
    def get(self, request):
        form = LostReportForm(request.query_params, viewer=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        scope = {"team": form.cleaned_data.get("team"), "owner": form.cleaned_data.get("owner")}
        report = lost_report(
            viewer=request.user,
            period=form.cleaned_data["period_range"],
            group_by=form.cleaned_data["group_by"],
            **scope,
        )
        payload = {
            "period": report.period.as_dict(),
            **comparison_json(lost_comparison(report, viewer=request.user, **scope)),
            "group_by": report.group_by,
            "totals": report.totals.as_dict(),
            "rows": [row.as_dict() for row in report.rows],
        }
        return Response(LostReportSerializer(payload).data)
