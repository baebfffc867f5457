"""A report's figures over a period (``core.periods``) beside the previous period and the
same period last year, with the change — for the report pages and
``/api/v1/reports/<report>/summary/``.

The report tables hold one row per month × scope, so a period's figures are the sums of
the rows of the months it touches (a custom range covers its months whole); rates are
recomputed from the sums, never averaged. The three periods are aggregated in one query."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum

from accounts.models import User
from core.periods import Period, change
from reports.models import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    PeriodKind,
    PlanFulfilment,
    RenewalReport,
    ReportRow,
)
from reports.services.common import percent


@dataclass(frozen=True)
class SummarySpec:
    sums: tuple[str, ...]
    # Figures computed from the sums: (name, function of the sums dict).
    derived: tuple[tuple[str, Callable[[dict], object]], ...] = ()
    # Extra aggregates the derived figures need: name → expression.
    extra: dict = field(default_factory=dict)
    row_filters: dict = field(default_factory=dict)


def _avg_cycle(sums: dict):
    if not sums.get("cycle_deals") or sums.get("_cycle_total") is None:
        return None
    return (Decimal(sums["_cycle_total"]) / sums["cycle_deals"]).quantize(Decimal("0.1"), ROUND_HALF_UP)


SPECS: dict[type[ReportRow], SummarySpec] = {
    ConversionReport: SummarySpec(
        sums=("leads_created", "won", "lost", "won_amount", "cycle_deals"),
        derived=(
            ("win_rate", lambda s: percent(s["won"] or 0, (s["won"] or 0) + (s["lost"] or 0))),
            ("avg_cycle_days", _avg_cycle),
        ),
        extra={
            "_cycle_total": ExpressionWrapper(
                F("avg_cycle_days") * F("cycle_deals"),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            )
        },
    ),
    RenewalReport: SummarySpec(
        sums=("due", "due_amount", "renewed", "renewed_amount"),
        derived=(
            ("rate_by_count", lambda s: percent(s["renewed"] or 0, s["due"])),
            ("rate_by_amount", lambda s: percent(s["renewed_amount"] or 0, s["due_amount"])),
        ),
    ),
    ActivityStat: SummarySpec(
        sums=("calls", "meetings", "visits", "emails", "workdays", "calls_norm"),
        row_filters={"period_kind": PeriodKind.MONTH},
    ),
    PlanFulfilment: SummarySpec(
        sums=("plan_booked", "booked", "plan_collected", "collected"),
        derived=(
            ("fulfilment_pct", lambda s: percent(s["booked"] or 0, s["plan_booked"])),
            ("collected_pct", lambda s: percent(s["collected"] or 0, s["plan_collected"])),
        ),
    ),
    CoverageReport: SummarySpec(sums=("won_amount", "won_deals")),
}

PERIOD_KEYS = ("current", "previous", "last_year")


def _exact(model: type[ReportRow], name: str, value):
    """A sum to its field's decimal places (SQLite gives 1500.5 for 1000.00 + 500.50)."""
    places = getattr(model._meta.get_field(name), "decimal_places", None)
    if value is None or places is None:
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _label(model: type[ReportRow], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def period_summary(model: type[ReportRow], *, viewer: User, scope: dict, period: Period) -> dict:
    """The headline scope's figures for ``period``, its previous period and the same period
    last year: ``{"periods": {key: Period}, "figures": [{name, label, current, previous,
    last_year, change_previous, change_last_year}]}``."""
    spec = SPECS[model]
    periods = {"current": period, "previous": period.previous(), "last_year": period.last_year()}
    windows = {
        key: Q(period__gte=value.first_month, period__lte=value.last_month) for key, value in periods.items()
    }
    expressions = {**{name: F(name) for name in spec.sums}, **spec.extra}
    aggregates = {
        f"{key}__{name}": Sum(expression, filter=windows[key])
        for key in PERIOD_KEYS
        for name, expression in expressions.items()
    }
    rows = model.objects.visible_to(viewer).filter(**scope, **spec.row_filters)
    totals = rows.filter(windows["current"] | windows["previous"] | windows["last_year"]).aggregate(
        **aggregates
    )
    values: dict[str, dict] = {}
    for key in PERIOD_KEYS:
        sums = {name: totals[f"{key}__{name}"] for name in expressions}
        figures = {name: _exact(model, name, sums[name]) for name in spec.sums}
        for name, compute in spec.derived:
            figures[name] = compute(sums)
        values[key] = figures
    names = [*spec.sums, *(name for name, _compute in spec.derived)]
    return _compared(periods, values, {name: _label(model, name) for name in names})


def _compared(periods: dict, values: dict, labels: dict) -> dict:
    """The shape every comparison has (pages' partial and the API's ``figures``)."""
    return {
        "periods": periods,
        "figures": [
            {
                "name": name,
                "label": label,
                "current": values["current"][name],
                "previous": values["previous"][name],
                "last_year": values["last_year"][name],
                "change_previous": change(values["current"][name], values["previous"][name]),
                "change_last_year": change(values["current"][name], values["last_year"][name]),
            }
            for name, label in labels.items()
        ],
    }


def compare(period: Period, figures_of: Callable[[Period], dict], labels: dict) -> dict:
    """A report that is not a report table (the lost report, the incentives leaderboard)
    compared the same way as ``period_summary``: ``figures_of(period)`` gives the figures
    named in ``labels`` (name → label) for one period; it is asked for the period, its
    previous period and the same period last year."""
    periods = {"current": period, "previous": period.previous(), "last_year": period.last_year()}
    values = {key: figures_of(value) for key, value in periods.items()}
    return _compared(periods, values, labels)
