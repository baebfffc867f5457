"""The one chart engine: the nice-axis function every chart rounds its axis with, and the
plan-vs-actual geometry built on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from core.charts import compact, line_chart, nice_ceiling, plan_chart


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-3, 1.0),
        (0, 1.0),
        (0.03, 0.05),
        (0.3, 0.5),
        (1, 1),
        (1.5, 2),
        (2, 2),
        (2.1, 2.5),
        (2.5, 2.5),
        (3, 5),
        (7, 10),
        (10, 10),
        (11, 20),
        (26, 50),
        (100, 100),
        (101, 200),
        (240, 250),
        (251, 500),
        (1_000_000, 1_000_000),
        (1_200_000, 2_000_000),
    ],
)
def test_nice_ceiling_is_the_smallest_1_2_2_5_or_5_times_a_power_of_ten_at_least_the_value(value, expected):
    assert nice_ceiling(value) == expected


def test_a_percentage_line_chart_tops_out_at_100():
    chart = line_chart(
        ["Jan", "Feb"], [{"name": "Rate", "values": [40, None]}], title="t", top=100, suffix="%"
    )
    assert [line["label"] for line in chart.grid] == ["0%", "50%", "100%"]


def test_a_line_chart_above_its_given_top_rounds_up_to_a_nice_value():
    chart = line_chart(["Jan", "Feb"], [{"name": "Rate", "values": [40, 130]}], title="t", top=100)
    assert [line["label"] for line in chart.grid] == ["0", "100", "200"]


@dataclass
class Figures:
    plan: Decimal
    booked: Decimal
    collected: Decimal
    forecast: Decimal


LABELS = {"plan": "Plan", "booked": "Booked", "collected": "Collected", "forecast": "Forecast"}
MONTHS = [f"M{number}" for number in range(1, 13)]


def test_the_plan_chart_ticks_in_nice_steps_up_to_the_largest_figure():
    months = [Figures(Decimal("900"), Decimal("1000"), Decimal("300"), Decimal("1100"))] + [
        Figures(Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"))
    ] * 11
    chart = plan_chart(months, MONTHS, LABELS)
    # 1100 / 4 ticks = 275 → a step of 500, so the axis runs 0, 500, 1k, 1.5k.
    assert [tick.label for tick in chart.ticks] == ["0", "500", "1K", "1.5K"]
    assert chart.is_empty is False


def test_an_empty_plan_chart_has_four_unit_ticks():
    months = [Figures(Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0"))] * 12
    chart = plan_chart(months, MONTHS, LABELS)
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3", "4"]
    assert chart.is_empty is True


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", 900, "900"),
        ("en", 350_000, "350K"),
        ("en", 1_200_000, "1.2M"),
        ("en", 2_000_000_000, "2B"),
        ("ru", 1_200_000, "1,2\u00a0млн"),
        ("ru", 15_000_000, "15\u00a0млн"),
        ("zh-hans", 15_000_000, "1,500万"),
        ("zh-hans", 200_000_000, "2亿"),
    ],
)
def test_compact_axis_labels_read_in_the_readers_language(language, value, expected):
    """The y-axis of the plan charts used "15M" in every language while the cards beside them
    said "15 млн" and "1500万"."""
    with translation.override(language):
        assert compact(value) == expected


def test_a_bar_charts_largest_figure_fills_its_track_and_the_others_are_in_proportion():
    from core.charts import bar_chart

    chart = bar_chart(
        [
            {"label": "Calls", "value": 3, "display": "3", "marker": 8, "marker_display": "8"},
            {"label": "Meetings", "value": 10, "display": "10", "marker": None},
            {"label": "Visits", "value": None, "display": "—"},
        ],
        title="t",
    )
    assert [(row.percent, row.marker_percent) for row in chart.rows] == [
        (30.0, 80.0),
        (100.0, None),
        (0.0, None),
    ]
    at_the_top = bar_chart([{"label": "Won", "value": 5, "display": "5", "marker": 9}], title="t")
    assert (at_the_top.rows[0].percent, at_the_top.rows[0].marker_percent) == (
        55.56,
        99.4,
    )  # the tick stays inside
