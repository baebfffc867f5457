"""The home page ("/"): the role-aware dashboard with its charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_manager
from core import charts
from core.templatetags.money import currency_symbol, short_figure
from deals.models import Deal
from deals.rules import decides_discounts
from deals.selectors import pipeline_summary
from deals.selectors.commerce import approvals_panel
from reports.dashboard import Dashboard, dashboard_for
from reports.incentives import home_bonus


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


def home_charts(user, dashboard: Dashboard) -> dict:
    """Won vs plan and calls vs norm per line of the dashboard (the person alone on their
    own home), and the weighted pipeline by stage of what the dashboard covers: two
    queries besides the dashboard's."""
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
    return {
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
    }
