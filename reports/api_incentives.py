"""GET /api/v1/reports/incentives/: the leaderboard's rows for a period (default: this
month), with the page's visibility (reports.rules: head and analyst all, a lead their team,
everyone else their own row and rank). Bad parameters answer 400."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api import PERIOD_PARAMETERS, ComparedPeriodSerializer, comparison_json
from reports.forms import IncentivesForm
from reports.incentives import leaderboard, leaderboard_comparison, row_json


def _money(**kwargs):
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


def _percent(**kwargs):
    return serializers.DecimalField(max_digits=7, decimal_places=2, **kwargs)


class IncentiveRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    ranked = serializers.IntegerField(help_text="How many people the rank is among (everyone with a row).")
    rep = serializers.DictField()
    team = serializers.DictField(allow_null=True)
    role = serializers.CharField()
    basis = serializers.ChoiceField(choices=["booked", "collected"])
    basis_amount = _money()
    plan = _money(allow_null=True)
    fulfilment_pct = _percent(allow_null=True)
    tier_pct = _percent(
        allow_null=True,
        help_text="The tier reached (its threshold); null below the lowest, or over several months.",
    )
    rate_pct = _percent(allow_null=True, help_text="Null over several months.")
    bonus = _money()


class IncentivesSerializer(ComparedPeriodSerializer):
    figures = serializers.ListField(
        child=serializers.DictField(),
        help_text="The total bonus and basis of the rows answered for the period, the previous "
        "period and the same period last year, with the changes (as in the report summaries); "
        "null for a period without rows.",
    )
    currency = serializers.CharField()
    ranked = serializers.IntegerField()
    own_rank = serializers.IntegerField(allow_null=True)
    rows = IncentiveRowSerializer(many=True)


class IncentivesView(APIView):
    """Bonuses per person for a month (or the sum of a quarter's / year's months): basis,
    plan, fulfilment, tier, rate and bonus, ranked across the department by fulfilment."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses={200: IncentivesSerializer})
    def get(self, request):
        form = IncentivesForm(request.query_params, viewer=request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        scope = {"team": form.cleaned_data.get("team"), "owner": form.cleaned_data.get("owner")}
        board = leaderboard(viewer=request.user, period=form.cleaned_data["period_range"], **scope)
        payload = {
            "period": board.period.as_dict(),
            **comparison_json(leaderboard_comparison(board, viewer=request.user, **scope)),
            "currency": settings.DEPARTMENT_CURRENCY,
            "ranked": board.ranked,
            "own_rank": board.own.rank if board.own else None,
            "rows": [row_json(row, board.ranked) for row in board.rows],
        }
        return Response(IncentivesSerializer(payload).data)
