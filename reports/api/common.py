"""What the reports API's answers share: the person a row names, the period parameters
and the period comparison's shape (``ComparedPeriodSerializer``, ``comparison_json``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from accounts.models import User


class ReportPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


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
