"""The hand adjustments of a plan's split: a lead's or the head's rep × month cells of a
team, and the head's month and team-month totals; every total stays exact."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Team, User
from core.locks import lock_one
from core.money import money_text
from targets import rules
from targets.models import (
    Allocation,
    Plan,
)
from targets.services.common import (
    difference_text,
    month_name,
    parse_money,
    split_exactly,
)
from targets.services.plans import plan_members, save_allocations


def _amounts(mapping: Mapping, *, field_name: str) -> dict:
    return {key: parse_money(value, field_name=field_name) for key, value in mapping.items()}


@transaction.atomic
def allocation_rep_split_set(
    *, actor: User, plan: Plan, team: Team, amounts: Mapping[tuple[int, int], object]
) -> None:
    """Set a team's split between its reps: ``amounts`` maps (month, rep id) → amount.
    The team's month totals stay fixed, so for every month touched the reps must add up
    exactly to it; reps not mentioned keep their amounts."""
    rules.ensure_can_adjust_team(actor, team)
    plan = lock_one(Plan.objects, pk=plan.pk)
    amounts = _amounts(amounts, field_name="amounts")
    team_months = dict(
        Allocation.objects.filter(plan=plan, team=team, rep__isnull=True).values_list("month", "amount")
    )
    rep_cells = {
        (cell.month, cell.rep_id): cell.amount
        for cell in Allocation.objects.filter(plan=plan, team=team, rep__isnull=False)
    }
    allowed_reps = {rep_id for _month, rep_id in rep_cells} | set(
        plan_members(team_ids=[team.pk]).values_list("pk", flat=True)
    )
    errors = []
    for month, rep_id in amounts:
        if not isinstance(month, int) or not 1 <= month <= 12:
            errors.append(_("Months are numbered 1 to 12."))
        elif month not in team_months:
            errors.append(
                _("%(month)s: the team has no plan for this month yet; split the plan first.")
                % {"month": month_name(month)}
            )
        if rep_id not in allowed_reps:
            errors.append(_("Rep %(rep)s is not in %(team)s.") % {"rep": rep_id, "team": team.name})
    if errors:
        raise ValidationError({"amounts": sorted(set(errors), key=errors.index)})
    merged = {**rep_cells, **amounts}
    for month in sorted({month for month, _rep in amounts}):
        reps_total = sum((amount for (m, _rep), amount in merged.items() if m == month), Decimal("0.00"))
        if reps_total != team_months[month]:
            errors.append(
                _(
                    "%(month)s: the reps add up to %(reps)s but the team's month total is %(team)s "
                    "(%(difference)s)."
                )
                % {
                    "month": month_name(month),
                    "reps": money_text(reps_total),
                    "team": money_text(team_months[month]),
                    "difference": difference_text(reps_total, team_months[month]),
                }
            )
    if errors:
        raise ValidationError({"amounts": errors})
    wanted = {
        (cell.month, cell.team_id, cell.rep_id): cell.amount for cell in Allocation.objects.filter(plan=plan)
    }
    for (month, rep_id), amount in amounts.items():
        wanted[(month, team.pk, rep_id)] = amount
    save_allocations(plan, wanted, actor)


def _is_month(month) -> bool:
    return isinstance(month, int) and 1 <= month <= 12


def _department_split_input_errors(months: Mapping, team_months: Mapping) -> dict[str, list[str]]:
    """Months outside 1–12 and teams that do not exist, per field."""
    known_teams = set(Team.objects.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for month in months:
        if not _is_month(month):
            errors.setdefault("months", []).append(_("Months are numbered 1 to 12."))
    for month, team_id in team_months:
        if not _is_month(month):
            errors.setdefault("team_months", []).append(_("Months are numbered 1 to 12."))
        if team_id not in known_teams:
            errors.setdefault("team_months", []).append(
                _("There is no team with id %(id)s.") % {"id": team_id}
            )
    return errors


def _months_total_errors(plan: Plan, month_totals: Mapping[int, Decimal]) -> list[str]:
    """The twelve month totals must add up exactly to the plan."""
    months_sum = sum(month_totals.values(), Decimal("0.00"))
    if len(month_totals) == 12 and months_sum == plan.amount:
        return []
    return [
        _("The months add up to %(months)s but the plan is %(plan)s (%(difference)s).")
        % {
            "months": money_text(months_sum),
            "plan": money_text(plan.amount),
            "difference": difference_text(months_sum, plan.amount),
        }
    ]


def _team_months_total_errors(wanted: Mapping[tuple, Decimal], month_totals, touched_months) -> list[str]:
    """In every month touched that has team cells, the teams must add up to the month."""
    errors = []
    for month in sorted(touched_months):
        teams_in_month = [a for (m, t, r), a in wanted.items() if m == month and t is not None and r is None]
        if not teams_in_month:
            continue
        teams_sum = sum(teams_in_month, Decimal("0.00"))
        month_total = month_totals.get(month, Decimal("0.00"))
        if teams_sum != month_total:
            errors.append(
                _(
                    "%(month)s: the teams add up to %(teams)s but the month total is %(total)s "
                    "(%(difference)s)."
                )
                % {
                    "month": month_name(month),
                    "teams": money_text(teams_sum),
                    "total": money_text(month_total),
                    "difference": difference_text(teams_sum, month_total),
                }
            )
    return errors


def _resplit_changed_team_months(cells: Mapping[tuple, Decimal], team_months: Mapping, wanted: dict) -> None:
    """Re-split each team-month whose total changed between its reps in their current
    proportions (evenly when they all had zero), into ``wanted``."""
    for (month, team_id), amount in team_months.items():
        if cells.get((month, team_id, None)) == amount:
            continue
        rep_keys = sorted(
            (key for key in cells if key[0] == month and key[1] == team_id and key[2] is not None),
            key=lambda k: k[2],
        )
        if not rep_keys:
            continue
        current = [cells[key] for key in rep_keys]
        weights = current if sum(current) > 0 else [1] * len(current)
        for key, part in zip(rep_keys, split_exactly(amount, weights), strict=True):
            wanted[key] = part


@transaction.atomic
def allocation_department_split_set(
    *,
    actor: User,
    plan: Plan,
    months: Mapping[int, object] | None = None,
    team_months: Mapping[tuple[int, int], object] | None = None,
) -> None:
    """The head's adjustment of the upper levels: month totals (which must add up to the
    plan) and team-month totals (which must add up to their month). A team-month whose
    total changes is re-split between its reps in their current proportions (evenly
    when they all had zero)."""
    rules.ensure_can_set_plans(actor)
    plan = lock_one(Plan.objects, pk=plan.pk)
    months = _amounts(months or {}, field_name="months")
    team_months = _amounts(team_months or {}, field_name="team_months")
    cells = {(c.month, c.team_id, c.rep_id): c.amount for c in Allocation.objects.filter(plan=plan)}
    errors = _department_split_input_errors(months, team_months)
    if errors:
        raise ValidationError(errors)
    wanted = dict(cells)
    for month, amount in months.items():
        wanted[(month, None, None)] = amount
    for (month, team_id), amount in team_months.items():
        wanted[(month, team_id, None)] = amount
    month_totals = {m: a for (m, t, r), a in wanted.items() if t is None and r is None}
    if months and (month_errors := _months_total_errors(plan, month_totals)):
        errors["months"] = month_errors
    touched_months = set(months) | {month for month, _team in team_months}
    if team_errors := _team_months_total_errors(wanted, month_totals, touched_months):
        errors["team_months"] = team_errors
    if errors:
        raise ValidationError(errors)
    _resplit_changed_team_months(cells, team_months, wanted)
    save_allocations(plan, wanted, actor)
