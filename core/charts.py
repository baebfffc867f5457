"""The one chart engine: charts as inline SVG geometry, laid out here on the server and drawn
by templates (templates/reports/charts/*.html, templates/targets/partials/plan_chart.html) —
no chart library and nothing loaded from elsewhere. Every chart is also given as a table
on its page, so the SVG is a picture of figures the reader can find in text.

Every axis is rounded by one function, ``nice_ceiling``. Imports no app."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat

from core.templatetags.money import money, short_figure

Number = int | float | Decimal


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least ``value``: an axis top, or (given
    the top divided by the number of ticks) a round tick step. 1.0 for nothing positive."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _ratio(value: Number | None, top: Number) -> float:
    if value is None or not top:
        return 0.0
    return max(0.0, min(1.0, float(value) / float(top)))


@dataclass
class BarRow:
    label: str
    value: Number | None
    display: str
    # The bar and the marker (a norm or plan, drawn as a tick) as percentages of the largest
    # figure: the page writes each row's label and figure as text and draws only the bar, as
    # an SVG stretched to its track (reports/charts/bars.html).
    percent: float
    marker_percent: float | None = None
    marker_display: str = ""
    css: str = ""


@dataclass
class BarChart:
    rows: list[BarRow]
    title: str


def bar_chart(items: Sequence[dict], *, title: str) -> BarChart:
    """Horizontal bars. Each item: label, value, display, and optionally marker (a norm or
    plan drawn as a tick), marker_display and css. The largest value or marker fills the
    track."""
    top = max([float(i["value"] or 0) for i in items] + [float(i.get("marker") or 0) for i in items] + [0])
    rows = []
    for item in items:
        marker = item.get("marker")
        rows.append(
            BarRow(
                label=item["label"],
                value=item["value"],
                display=item["display"],
                percent=round(_ratio(item["value"], top) * 100, 2),
                # the marker's 0.6-wide tick kept inside the track at 100 %
                marker_percent=None if marker is None else min(99.4, round(_ratio(marker, top) * 100, 2)),
                marker_display=item.get("marker_display", ""),
                css=item.get("css", ""),
            )
        )
    return BarChart(rows=rows, title=title)


@dataclass
class FunnelStep:
    label: str
    count: int
    rate: str | None
    x: float
    y: float
    width: float
    text_y: float = 0


@dataclass
class Funnel:
    steps: list[FunnelStep]
    width: int
    height: int
    step_height: int
    center: float
    title: str


def funnel_chart(stages: Sequence[dict], *, title: str, width: int = 640, step_height: int = 34) -> Funnel:
    """The conversion funnel: one centred bar per stage, as wide as the deals that reached it."""
    top = max([s["reached"] for s in stages] + [0])
    plot = width - 20
    steps = []
    for index, stage in enumerate(stages):
        bar = max(_ratio(stage["reached"], top) * plot, 2.0)
        steps.append(
            FunnelStep(
                label=stage["name"],
                count=stage["reached"],
                rate=stage.get("rate"),
                x=round((width - bar) / 2, 1),
                y=index * (step_height + 6),
                width=round(bar, 1),
                text_y=index * (step_height + 6) + step_height * 0.64,
            )
        )
    return Funnel(
        steps=steps,
        width=width,
        height=max(len(steps) * (step_height + 6), step_height),
        step_height=step_height,
        center=width / 2,
        title=title,
    )


@dataclass
class LinePoint:
    label: str
    value: Number | None
    display: str
    x: float
    y: float | None


@dataclass
class LineSeries:
    name: str
    css: str
    points: list[LinePoint]
    path: str


@dataclass
class LineChart:
    series: list[LineSeries]
    labels: list[LinePoint]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    plot_left: int
    grid: list[dict] = field(default_factory=list)
    title: str = ""
    axis_y: float = 0


def line_chart(
    labels: Sequence[str],
    series: Sequence[dict],
    *,
    title: str,
    top: Number | None = None,
    suffix: str = "",
    width: int = 640,
    height: int = 220,
) -> LineChart:
    """Lines over periods. Each series: name, css, values (None = no figure: a gap)."""
    left, right, plot_top, bottom = 44, 16, 12, height - 28
    values = [float(v) for s in series for v in s["values"] if v is not None]
    top = float(top) if top is not None else max(values + [1.0])
    top = nice_ceiling(max(top, max(values + [0.0])))
    step = (width - left - right) / max(len(labels) - 1, 1)
    built = []
    for item in series:
        points, path, pen_down = [], [], False
        for index, (label, value) in enumerate(zip(labels, item["values"], strict=True)):
            x = round(left + index * step, 1)
            y = None if value is None else round(bottom - _ratio(value, top) * (bottom - plot_top), 1)
            display = "—" if value is None else f"{value}{suffix}"
            points.append(LinePoint(label=label, value=value, display=display, x=x, y=y))
            if y is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x},{y}")
            pen_down = True
        built.append(
            LineSeries(name=item["name"], css=item.get("css", ""), points=points, path=" ".join(path))
        )
    grid = [
        {
            "y": round(bottom - fraction * (bottom - plot_top), 1),
            "text_y": round(bottom - fraction * (bottom - plot_top) + 4, 1),
            "label": f"{round(top * fraction):g}{suffix}",
        }
        for fraction in (0, 0.5, 1)
    ]
    axis = [
        LinePoint(label=label, value=None, display=label, x=round(left + i * step, 1), y=None)
        for i, label in enumerate(labels)
    ]
    return LineChart(
        series=built,
        labels=axis,
        width=width,
        height=height,
        plot_top=plot_top,
        plot_bottom=bottom,
        plot_left=left,
        grid=grid,
        title=title,
        axis_y=height - 8,
    )


@dataclass
class Column:
    name: str
    css: str
    value: Number | None
    display: str
    x: float
    y: float
    height: float


@dataclass
class ColumnGroup:
    label: str
    x: float
    columns: list[Column]


@dataclass
class ColumnChart:
    groups: list[ColumnGroup]
    legend: list[dict]
    width: int
    height: int
    bottom: int
    column_width: float
    title: str
    axis_y: float = 0


def column_chart(
    labels: Sequence[str], series: Sequence[dict], *, title: str, width: int = 640, height: int = 220
) -> ColumnChart:
    """Grouped columns (e.g. plan, booked and forecast per month)."""
    bottom, plot_top, left = height - 28, 10, 8
    top = max([float(v) for s in series for v in s["values"] if v is not None] + [1.0])
    group_width = (width - left) / max(len(labels), 1)
    column_width = max(min(group_width * 0.8 / max(len(series), 1), 22), 3)
    groups = []
    for index, label in enumerate(labels):
        start = left + index * group_width + (group_width - column_width * len(series)) / 2
        columns = []
        for position, item in enumerate(series):
            value = item["values"][index]
            bar = _ratio(value, top) * (bottom - plot_top)
            columns.append(
                Column(
                    name=item["name"],
                    css=item.get("css", ""),
                    value=value,
                    display="—" if value is None else item["format"](value),
                    x=round(start + position * column_width, 1),
                    y=round(bottom - bar, 1),
                    height=round(bar, 1),
                )
            )
        groups.append(
            ColumnGroup(
                label=label, x=round(left + index * group_width + group_width / 2, 1), columns=columns
            )
        )
    legend = [{"name": item["name"], "css": item.get("css", "")} for item in series]
    return ColumnChart(
        groups=groups,
        legend=legend,
        width=width,
        height=height,
        bottom=bottom,
        column_width=round(column_width - 1, 1),
        title=title,
        axis_y=height - 8,
    )


# --- plan vs actual (targets) ------------------------------------------------------------------
# Twelve months of figures as rectangles, polylines and axis ticks in a fixed coordinate
# space (the SVG's viewBox); the browser scales the drawing to the screen.

PLAN_TICKS = 4
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


def compact(value: float) -> str:
    """An axis label in the reader's language: "1.2M", "1,2 млн", "1,500万"; "900" below a
    thousand (the summary cards' rounding, ``short_figure``)."""
    amount = Decimal(repr(float(value)))
    if abs(amount) >= 1000:
        return short_figure(amount)
    return floatformat(amount, "-2g")


def plan_chart(months, month_labels: list[str], labels: dict[str, str]) -> Chart:
    """Geometry for 12 :class:`targets.selectors.MonthFigures`: plan and booked as bars
    (booked drawn inside plan), collected and forecast as lines. ``labels`` names the
    series in the bars' and dots' tooltips."""
    chart = Chart()
    values = [float(getattr(m, name)) for m in months for name in ("plan", "booked", "collected", "forecast")]
    top_value = max(values + [0.0])
    chart.is_empty = top_value <= 0
    step = nice_ceiling(top_value / PLAN_TICKS) if top_value > 0 else 1.0
    scale_max = step * math.ceil(top_value / step) if top_value > 0 else float(PLAN_TICKS)
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
                title=f"{month_labels[index]} · {labels['plan']}: {money(figures.plan)}",
            )
        )
        booked_top = y_of(figures.booked)
        chart.booked_bars.append(
            Bar(
                x=round(centre - booked_width / 2, 1),
                y=booked_top,
                width=round(booked_width, 1),
                height=round(chart.baseline - booked_top, 1),
                title=f"{month_labels[index]} · {labels['booked']}: {money(figures.booked)}",
            )
        )
    for name in ("collected", "forecast"):
        points = []
        dots = []
        for index, figures in enumerate(months):
            x, y = chart.month_labels[index][0], y_of(getattr(figures, name))
            points.append(f"{x},{y}")
            dots.append((x, y, f"{month_labels[index]} · {labels[name]}: {money(getattr(figures, name))}"))
        setattr(chart, name, Line(points=" ".join(points), dots=dots))
    return chart
