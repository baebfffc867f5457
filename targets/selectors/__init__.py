"""Every non-trivial read of the targets app, by sub-domain: plans and plan vs actual
(``plans``), the plan grid (``grid``), activity norms (``norms``) and receivables
(``receivables``).

The public names stay importable from here (``from targets.selectors import
rep_month_plans``), so callers in other apps need not know the sub-module."""

from targets.selectors.grid import GridRow, GridTeam, PlanGrid, department_split, plan_grid
from targets.selectors.norms import effective_norms
from targets.selectors.plans import (
    FIGURES,
    SCOPE_DEPARTMENT,
    SCOPE_REP,
    SCOPE_TEAM,
    SCOPES,
    MonthFigures,
    PlanLine,
    department_monthly_actuals,
    plan_scopes_for,
    plan_vs_actual,
    rep_month_plans,
)
from targets.selectors.receivables import (
    AGING_GROUPS,
    AGING_SUM_FIELDS,
    BUCKET_FIELDS,
    AgingBucket,
    ReceivablesCache,
    aging_bucket_expression,
    aging_rows_totals,
    client_receivables,
    days_overdue_expression,
    deal_schedule,
    installments_with_balance,
    overdue_installments,
    receivable_installments,
    receivables_aging,
    receivables_client_count,
    receivables_rollup,
    receivables_totals,
    schedule_totals,
)

__all__ = [
    "AGING_GROUPS",
    "AGING_SUM_FIELDS",
    "BUCKET_FIELDS",
    "FIGURES",
    "SCOPES",
    "SCOPE_DEPARTMENT",
    "SCOPE_REP",
    "SCOPE_TEAM",
    "AgingBucket",
    "GridRow",
    "GridTeam",
    "MonthFigures",
    "PlanGrid",
    "PlanLine",
    "aging_bucket_expression",
    "aging_rows_totals",
    "client_receivables",
    "days_overdue_expression",
    "deal_schedule",
    "department_monthly_actuals",
    "department_split",
    "effective_norms",
    "installments_with_balance",
    "overdue_installments",
    "plan_grid",
    "plan_scopes_for",
    "plan_vs_actual",
    "receivable_installments",
    "receivables_aging",
    "receivables_client_count",
    "receivables_rollup",
    "ReceivablesCache",
    "receivables_totals",
    "rep_month_plans",
    "schedule_totals",
]
