"""Every write of the targets app, by sub-domain: plans and their decomposition
(``plans``), hand adjustments of the split (``allocations``), activity norms (``norms``),
payment schedules, payments and overdue reasons (``receivables``); ``common`` holds the
money checks and the exact split they share.

The public names stay importable from here (``from targets import services;
services.plan_create(...)``), so callers need not know the sub-module."""

from targets.services.allocations import allocation_department_split_set, allocation_rep_split_set
from targets.services.common import month_name, split_exactly
from targets.services.norms import (
    MAX_CALLS_PER_DAY,
    MAX_MEETINGS_PER_WEEK,
    norm_delete,
    norm_save,
    norm_set_for_role,
    norm_set_for_user,
)
from targets.services.plans import (
    Decomposition,
    plan_create,
    plan_decompose,
    plan_delete,
    plan_members,
    plan_update,
)
from targets.services.receivables import (
    MAX_INSTALLMENTS,
    MAX_INTERVAL_MONTHS,
    installment_paid_refresh,
    installment_schedule_create,
    installment_update,
    overdue_reason_add,
    payment_delete,
    payment_record,
    payment_void,
)

__all__ = [
    "MAX_CALLS_PER_DAY",
    "MAX_INSTALLMENTS",
    "MAX_INTERVAL_MONTHS",
    "MAX_MEETINGS_PER_WEEK",
    "Decomposition",
    "allocation_department_split_set",
    "allocation_rep_split_set",
    "installment_paid_refresh",
    "installment_schedule_create",
    "installment_update",
    "month_name",
    "norm_delete",
    "norm_save",
    "norm_set_for_role",
    "norm_set_for_user",
    "overdue_reason_add",
    "payment_delete",
    "payment_void",
    "payment_record",
    "plan_create",
    "plan_decompose",
    "plan_delete",
    "plan_members",
    "plan_update",
    "split_exactly",
]
