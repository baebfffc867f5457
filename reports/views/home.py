"""The home page ("/"): the role-aware dashboard with its charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.roles import is_manager
from core import charts
from core.templatetags.money import currency_symbol, short_figure
from deals.models import Deal
from deals.rules import decides_discounts
from deals.selectors import pipeline_summary
from deals.selectors.commerce import approvals_panel
from reports.board import BOARD_CACHE_SECONDS
from reports.dashboard import Dashboard, dashboard_for, dashboard_version
from reports.incentives import home_bonus
from targets.selectors import (
    BUCKET_FIELDS,
    SCOPE_DEPARTMENT,
    SCOPE_REP,
    SCOPE_TEAM,
    AgingBucket,
    MonthFigures,
    plan_scopes_for,
    plan_vs_actual,
    receivables_totals,
)
from targets.selectors.receivables import ReceivablesCache, receivables_version
from targets.views.common import short_month_names
from targets.views.plans import SERIES_LABELS

HOME_PLAN_SCOPES = {"department": SCOPE_DEPARTMENT, "team": SCOPE_TEAM, "person": SCOPE_REP}

# The receivables aging chart's bars, oldest debt last (the receivables page's buckets).
AGING_BARS = [
    (BUCKET_FIELDS[AgingBucket.CURRENT], gettext_lazy("Not yet due")),
    (BUCKET_FIELDS[AgingBucket.DAYS_1_30], gettext_lazy("1–30 days late")),
    (BUCKET_FIELDS[AgingBucket.DAYS_31_60], gettext_lazy("31–60 days late")),
    (BUCKET_FIELDS[AgingBucket.DAYS_61_90], gettext_lazy("61–90 days late")),
    (BUCKET_FIELDS[AgingBucket.DAYS_90_PLUS], gettext_lazy("Over 90 days late")),
]


@login_required
def home(request):
    """The role-aware dashboard: a person's own month, a lead's team, the head's department."""
    dashboard = dashboard_for(request.user)
    return render(
        request,
        "reports/home.html",
        {
            "dashboard": dashboard,
            "home_charts": home_charts(request.user, dashboard),
            # Leads and the head review contracts: their home loads the "awaiting your review" panel.
            "reviews_contracts": is_manager(request.user),
            "home_bonus": home_bonus(request.user, timezone.localdate()),
            # Leads and the head decide discounts above a product's limit: the ones awaiting them.
            "discount_approvals": approvals_panel(viewer=request.user)
            if decides_discounts(request.user)
            else None,
        },
    )


def _amount(value) -> str:
    return "—" if value is None else f"{short_figure(value)}\xa0{currency_symbol()}"


def _months_line(user, dashboard: Dashboard):
    """The year by month (plan, booked, collected, forecast) of what the home covers: the
    department, the lead's (or assistant's) team, or the person. A fixed number of aggregate
    queries (targets.selectors.plan_vs_actual); a person with no plan line gets empty months.
    Each reads the year's deals and payments in scope, which grow with the department: the
    line is cached per version of the deals and plans (dashboard_version) and of the payments
    (receivables_version), 5 minutes at most, as the dashboard's figures are."""
    scope = HOME_PLAN_SCOPES[dashboard.kind]
    if scope not in plan_scopes_for(user):
        return None
    key = (
        f"home-months:{user.pk}:{dashboard.today.isoformat()}:{scope}:{get_language()}:"
        f"{dashboard_version()}:{receivables_version()}"
    )
    line = cache.get(key)
    if line is None:
        lines = plan_vs_actual(
            viewer=user,
            year=dashboard.today.year,
            scope=scope,
            rep_id=user.pk if scope == SCOPE_REP else None,
        )
        line = lines[0] if lines else ""
        cache.set(key, line, BOARD_CACHE_SECONDS)
    return line or None


def home_charts(user, dashboard: Dashboard) -> dict:
    """Won vs plan and calls vs norm per line of the dashboard (the person alone on their
    own home), the weighted pipeline by stage and the receivables by age of what the
    dashboard covers: three queries besides the dashboard's (the aging is one aggregate)."""
    if dashboard.lines:
        lines = [
            (line.label, line.won, line.plan, line.calls_today, line.calls_norm) for line in dashboard.lines
        ]
    else:
        lines = [
            (dashboard.title, dashboard.won, dashboard.plan, dashboard.calls_today, dashboard.calls_norm)
        ]
    deals = Deal.objects.visible_to(user)
    if dashboard.kind == "person":
        deals = deals.filter(owner=user)
    pipeline = pipeline_summary(deals=deals)
    today, owner_id = timezone.localdate(), user.pk if dashboard.kind == "person" else None
    # The aging sums read every outstanding installment in scope: kept under the receivables'
    # version, as the receivables page's are.
    aging = ReceivablesCache(viewer=user, today=today).get(
        "home-aging",
        lambda: receivables_totals(viewer=user, today=today, owner_id=owner_id),
        owner=owner_id,
    )
    months_line = _months_line(user, dashboard)
    months = months_line.months if months_line else [MonthFigures(month=month) for month in range(1, 13)]
    return {
        "months": charts.plan_chart(months, short_month_names(), SERIES_LABELS),
        "months_line": {"label": months_line.label if months_line else dashboard.title},
        "won": charts.bar_chart(
            [
                {
                    "label": label,
                    "value": won,
                    "display": _amount(won),
                    "marker": plan,
                    "marker_display": _amount(plan) if plan is not None else "",
                    "css": "met" if plan and won >= plan else "",
                }
                for label, won, plan, _calls, _norm in lines
            ],
            title=_("Won this month against the plan"),
        ),
        "calls": charts.bar_chart(
            [
                {
                    "label": label,
                    "value": calls,
                    "display": str(calls),
                    "marker": norm,
                    "marker_display": str(norm),
                    "css": "met" if norm and calls >= norm else "",
                }
                for label, _won, _plan, calls, norm in lines
            ],
            title=_("Calls today against the norm"),
        ),
        "pipeline": charts.bar_chart(
            [
                {"label": row.stage.display_name, "value": row.weighted, "display": _amount(row.weighted)}
                for row in pipeline.stages
            ],
            title=_("Weighted pipeline by stage"),
        ),
        "aging": charts.bar_chart(
            [
                {
                    "label": str(label),
                    "value": aging[name],
                    "display": _amount(aging[name]),
                    "css": "is-below" if name != BUCKET_FIELDS[AgingBucket.CURRENT] and aging[name] else "",
                }
                for name, label in AGING_BARS
            ],
            title=_("Receivables by days late"),
        ),
    }
