"""Compatibility shim: the plan-vs-actual chart now lives in the one chart engine,
``core.charts``. Kept so targets' views and templates keep working; import from
``core.charts`` in new code (the lead removes this module once targets does)."""

from core.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    PLOT_HEIGHT,
    PLOT_WIDTH,
    RIGHT,
    TOP,
    WIDTH,
    Bar,
    Chart,
    Line,
    Tick,
    compact,
    plan_chart,
)

__all__ = [
    "BOTTOM",
    "HEIGHT",
    "LEFT",
    "PLOT_HEIGHT",
    "PLOT_WIDTH",
    "RIGHT",
    "TOP",
    "WIDTH",
    "Bar",
    "Chart",
    "Line",
    "Tick",
    "compact",
    "plan_chart",
]
