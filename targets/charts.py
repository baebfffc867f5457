"""The plan-vs-actual chart as plain SVG geometry, computed on the server.

No chart library and nothing from a CDN: this module turns twelve months of figures into
rectangles, polylines and axis ticks in a fixed coordinate space (the SVG's viewBox); the
template draws them and the browser scales the drawing to the screen."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

WIDTH = 760
HEIGHT = 280
LEFT = 64
RIGHT = 12
TOP = 14
BOTTOM = 30
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class Line:
    points: str
    dots: list[tuple[float, float, str]]


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: float = TOP + PLOT_HEIGHT
    plan_bars: list[Bar] = field(default_factory=list)
    booked_bars: list[Bar] = field(default_factory=list)
    collected: Line | None = None
    forecast: Line | None = None
    ticks: list[Tick] = field(default_factory=list)
    month_labels: list[tuple[float, str]] = field(default_factory=list)
    is_empty: bool = True


def _nice_step(maximum: float, steps: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about ``steps`` ticks up to ``maximum``."""
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def compact(value: float) -> str:
    """An axis label: 1.2M, 350k, 900."""
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            number = value / size
            return (f"{number:.1f}".rstrip("0").rstrip(".")) + suffix
    return f"{value:.0f}"


def _money(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def plan_chart(months, month_labels: list[str], labels: dict[str, str]) -> Chart:
    """Geometry for 12 :class:`targets.selectors.MonthFigures`: plan and booked as bars
    (booked drawn inside plan), collected and forecast as lines. ``labels`` names the
    series in the bars' and dots' tooltips."""
    chart = Chart()
    values = [float(getattr(m, name)) for m in months for name in ("plan", "booked", "collected", "forecast")]
    top_value = max(values + [0.0])
    chart.is_empty = top_value <= 0
    step = _nice_step(top_value) if top_value > 0 else 1.0
    scale_max = step * math.ceil(top_value / step) if top_value > 0 else 4.0
    scale_max = max(scale_max, step)

    def y_of(value) -> float:
        return round(TOP + PLOT_HEIGHT - float(value) / scale_max * PLOT_HEIGHT, 1)

    tick = 0.0
    while tick <= scale_max + step / 2:
        chart.ticks.append(Tick(y=y_of(tick), label=compact(tick)))
        tick += step
    slot = PLOT_WIDTH / 12
    for index, figures in enumerate(months):
        x = LEFT + index * slot
        centre = round(x + slot / 2, 1)
        chart.month_labels.append((centre, month_labels[index]))
        plan_width = slot * 0.7
        booked_width = slot * 0.4
        plan_top = y_of(figures.plan)
        chart.plan_bars.append(
            Bar(
                x=round(centre - plan_width / 2, 1),
                y=plan_top,
                width=round(plan_width, 1),
                height=round(chart.baseline - plan_top, 1),
                title=f"{month_labels[index]} · {labels['plan']}: {_money(figures.plan)}",
            )
        )
        booked_top = y_of(figures.booked)
        chart.booked_bars.append(
            Bar(
                x=round(centre - booked_width / 2, 1),
                y=booked_top,
                width=round(booked_width, 1),
                height=round(chart.baseline - booked_top, 1),
                title=f"{month_labels[index]} · {labels['booked']}: {_money(figures.booked)}",
            )
        )
    for name in ("collected", "forecast"):
        points = []
        dots = []
        for index, figures in enumerate(months):
            x, y = chart.month_labels[index][0], y_of(getattr(figures, name))
            points.append(f"{x},{y}")
            dots.append((x, y, f"{month_labels[index]} · {labels[name]}: {_money(getattr(figures, name))}"))
        setattr(chart, name, Line(points=" ".join(points), dots=dots))
    return chart
