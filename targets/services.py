"""Every write to plans, allocations, norms, installments, payments and overdue reasons.

Money is split with :func:`split_exactly`: parts in whole cents that always add up to the
parent, the left-over cents going to a deterministic place (the largest remainders, ties
to the later part), so the same input always gives the same split."""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Team, User
from accounts.roles import QUOTA_CARRYING_ROLES
from core.filters import check_date_in_range
from core.money import CENT, MAX_MONEY, money_text
from deals.models import Deal, StageKind
from targets import rules
from targets.models import (
    ActivityNorm,
    Allocation,
    Installment,
    MonthMethod,
    OverdueReason,
    Payment,
    Plan,
    PlanMetric,
    SplitMethod,
)

MAX_INSTALLMENTS = 60
MAX_INTERVAL_MONTHS = 12
MAX_CALLS_PER_DAY = 1000
MAX_MEETINGS_PER_WEEK = 200


def month_name(month: int) -> str:
    return formats.date_format(datetime.date(2000, month, 1), "F")


def _difference_text(actual: Decimal, expected: Decimal) -> str:
    difference = actual - expected
    if difference > 0:
        return _("%(amount)s over") % {"amount": money_text(difference)}
    return _("%(amount)s short") % {"amount": money_text(-difference)}


def _money(value, *, field_name: str, allow_zero: bool = True) -> Decimal:
    """A Decimal in whole cents, or a ValidationError on ``field_name``."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field_name: _("Enter an amount such as 1500.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field_name: _("Enter an amount such as 1500.00.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field_name: _("Amounts are in whole cents (at most two decimals).")})
    if amount < 0 or (amount == 0 and not allow_zero):
        message = _("The amount cannot be negative.") if amount < 0 else _("The amount must be positive.")
        raise ValidationError({field_name: message})
    if amount > MAX_MONEY:
        raise ValidationError({field_name: _("The amount is too large.")})
    return amount.quantize(CENT)


def _date_in_range(value, *, field_name: str) -> None:
    """Dates far outside any real schedule (year 1, year 9999) are refused on ``field_name``:
    date arithmetic on them overflows."""
    try:
        check_date_in_range(value)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None


# --------------------------------------------------------------------------- exact split


def split_exactly(total: Decimal, weights: Sequence[Decimal | int | Fraction]) -> list[Decimal]:
    """Split ``total`` (whole cents, not negative) in proportion to ``weights``.

    Each part first gets the floor of its exact share in cents; the cents left over go one
    each to the parts with the largest fractional remainder, ties to the later part. So
    the parts always add up exactly to ``total``, a zero weight always gets 0.00, and an
    even split of 1,000.00 in three is 333.33 / 333.33 / 333.34."""
    if not weights:
        raise ValueError("split_exactly needs at least one weight")
    cents = total * 100
    if cents != cents.to_integral_value() or total < 0:
        raise ValueError(f"{total} is not a non-negative amount in whole cents")
    cents = int(cents)
    shares = [Fraction(w) for w in weights]
    if any(share < 0 for share in shares):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(shares)
    if weight_sum == 0:
        raise ValueError("weights cannot all be zero")
    exact = [cents * share / weight_sum for share in shares]
    parts = [math.floor(value) for value in exact]
    left_over = cents - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (exact[i] - parts[i], i), reverse=True)
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return [(Decimal(part) / 100).quantize(CENT) for part in parts]


def _weights(values, *, field_name: str, count: int | None = None, labels: Sequence[str] = ()) -> list:
    """Validate a list of weights: numbers, not negative, not all zero, ``count`` of them."""
    values = list(values or [])
    if count is not None and len(values) != count:
        raise ValidationError(
            {
                field_name: _("Give %(expected)d weights; %(given)d were given.")
                % {"expected": count, "given": len(values)}
            }
        )
    parsed = []
    for index, value in enumerate(values):
        label = labels[index] if index < len(labels) else str(index + 1)
        try:
            weight = Fraction(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError, TypeError):
            raise ValidationError(
                {field_name: _("The weight for %(what)s is not a number.") % {"what": label}}
            ) from None
        if weight < 0:
            raise ValidationError({field_name: _("The weight for %(what)s is negative.") % {"what": label}})
        parsed.append(weight)
    if parsed and sum(parsed) == 0:
        raise ValidationError(
            {field_name: _("The weights add up to zero; give at least one a positive weight.")}
        )
    return parsed


# --------------------------------------------------------------------------- plans


def plan_members(*, team_ids=None):
    """The people a plan is split among, team by team, in the order remainders follow."""
    members = User.objects.filter(is_active=True, role__in=QUOTA_CARRYING_ROLES, team__isnull=False)
    if team_ids is not None:
        members = members.filter(team_id__in=team_ids)
    return members.select_related("team").order_by(
        "team__name", "team_id", "last_name", "first_name", "username"
    )


@transaction.atomic
def plan_create(*, actor: User, year: int, metric: str, amount, note: str = "") -> Plan:
    rules.ensure_can_set_plans(actor)
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Choose a year between 2000 and 2100.")
    if metric not in PlanMetric.values:
        errors["metric"] = _("Choose booked or collected revenue.")
    try:
        amount = _money(amount, field_name="amount")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if Plan.objects.filter(year=year, metric=metric).exists():
        raise ValidationError(
            {
                "year": _("There is already a %(metric)s plan for %(year)s.")
                % {"metric": PlanMetric(metric).label, "year": year}
            }
        )
    try:
        with transaction.atomic():
            return Plan.objects.create(
                year=year, metric=metric, amount=amount, note=note or "", created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            {
                "year": _("There is already a %(metric)s plan for %(year)s.")
                % {"metric": PlanMetric(metric).label, "year": year}
            }
        ) from None


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, amount=None, note: str | None = None) -> Plan:
    """Change the target or its note. The split stays as it was: the grid shows the
    difference as unallocated until the plan is decomposed again."""
    rules.ensure_can_set_plans(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if amount is not None:
        plan.amount = _money(amount, field_name="amount")
    if note is not None:
        plan.note = note
    plan.save()
    return plan


@transaction.atomic
def plan_delete(*, actor: User, plan: Plan) -> None:
    rules.ensure_can_set_plans(actor)
    plan.delete()


@dataclass
class Decomposition:
    plan: Plan
    month_method: str
    warnings: list[str] = field(default_factory=list)
    months: list[Decimal] = field(default_factory=list)


def _last_year_shares(plan: Plan) -> list[Decimal]:
    from targets.selectors import department_monthly_actuals

    actuals = department_monthly_actuals(year=plan.year - 1, metric=plan.metric)
    return [actuals.get(month, Decimal("0")) for month in range(1, 13)]


def _month_weights(plan: Plan, month_method: str, month_weights, warnings: list[str]) -> tuple[str, list]:
    if month_method == MonthMethod.EVEN:
        return MonthMethod.EVEN, [1] * 12
    if month_method == MonthMethod.WEIGHTS:
        labels = [month_name(month) for month in range(1, 13)]
        return MonthMethod.WEIGHTS, _weights(
            month_weights, field_name="month_weights", count=12, labels=labels
        )
    if month_method == MonthMethod.LAST_YEAR:
        shares = _last_year_shares(plan)
        if sum(shares) > 0:
            return MonthMethod.LAST_YEAR, shares
        warnings.append(
            _("%(year)s has no %(metric)s to take shares from, so the months were split evenly.")
            % {"year": plan.year - 1, "metric": PlanMetric(plan.metric).label.lower()}
        )
        return MonthMethod.EVEN_FALLBACK, [1] * 12
    raise ValidationError(
        {"month_method": _("Choose how to split the months: evenly, by weights or by last year's shares.")}
    )


def _keyed_weights(method, given, items, *, field_name: str, what: str) -> list:
    """Weights for ``items`` (objects with pk and a label) from a {pk: weight} mapping."""
    if method == SplitMethod.EVEN:
        return [1] * len(items)
    if method != SplitMethod.WEIGHTS:
        raise ValidationError({field_name: _("Choose evenly or by weights.")})
    given = {str(key): value for key, value in (given or {}).items()}
    known = {str(item.pk) for item in items}
    unknown = sorted(set(given) - known)
    if unknown:
        raise ValidationError(
            {
                field_name: _("There is no %(what)s with id %(ids)s to give a weight to.")
                % {"what": what, "ids": ", ".join(unknown)}
            }
        )
    missing = [str(item) for item in items if str(item.pk) not in given]
    if missing:
        raise ValidationError({field_name: _("Give a weight for %(names)s.") % {"names": ", ".join(missing)}})
    return _weights(
        [given[str(item.pk)] for item in items], field_name=field_name, labels=[str(i) for i in items]
    )


def _save_allocations(plan: Plan, wanted: dict[tuple, Decimal], actor: User) -> None:
    """Make the plan's allocation rows exactly ``wanted`` ({(month, team_id, rep_id): amount}),
    updating in place what exists so each cell keeps its history."""
    existing = {(a.month, a.team_id, a.rep_id): a for a in Allocation.objects.filter(plan=plan)}
    for key, allocation in existing.items():
        if key not in wanted:
            allocation._history_user = actor
            allocation.delete()
    changed = []
    for key, amount in wanted.items():
        allocation = existing.get(key)
        if allocation is not None and allocation.amount != amount:
            allocation.amount = amount
            allocation.updated_at = timezone.now()
            changed.append(allocation)
    if changed:
        bulk_update_with_history(changed, Allocation, ["amount", "updated_at"], default_user=actor)
    created = [
        Allocation(plan=plan, month=month, team_id=team_id, rep_id=rep_id, amount=amount)
        for (month, team_id, rep_id), amount in wanted.items()
        if (month, team_id, rep_id) not in existing
    ]
    if created:
        bulk_create_with_history(created, Allocation, default_user=actor)


@transaction.atomic
def plan_decompose(
    *,
    actor: User,
    plan: Plan,
    month_method: str,
    month_weights: Sequence | None = None,
    team_method: str = SplitMethod.EVEN,
    team_weights: Mapping | None = None,
    rep_method: str = SplitMethod.EVEN,
    rep_weights: Mapping | None = None,
) -> Decomposition:
    """Split the plan into months, each month among the teams and each team-month among
    the team's reps, replacing any earlier split in one transaction.

    ``month_weights`` is 12 numbers; ``team_weights`` maps team id → weight and
    ``rep_weights`` rep id → weight (a rep's weight counts within their own team). By last
    year's shares falls back to an even split when last year has no actuals, and says so
    in the returned warnings."""
    rules.ensure_can_set_plans(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    warnings: list[str] = []
    applied_method, weights_by_month = _month_weights(plan, month_method, month_weights, warnings)

    members = list(plan_members())
    teams: list[Team] = []
    reps_by_team: dict[int, list[User]] = {}
    for member in members:
        if member.team_id not in reps_by_team:
            teams.append(member.team)
            reps_by_team[member.team_id] = []
        reps_by_team[member.team_id].append(member)
    if not teams:
        warnings.append(_("No team has reps yet, so the plan was split into months only."))
    team_weight_list = _keyed_weights(
        team_method, team_weights, teams, field_name="team_weights", what=_("team")
    )
    if rep_method == SplitMethod.WEIGHTS:
        known_reps = {str(member.pk) for member in members}
        unknown = sorted({str(key) for key in (rep_weights or {})} - known_reps)
        if unknown:
            raise ValidationError(
                {
                    "rep_weights": _("There is no rep with id %(ids)s to give a weight to.")
                    % {"ids": ", ".join(unknown)}
                }
            )
    rep_weight_lists = {}
    for team in teams:
        team_reps = reps_by_team[team.pk]
        given = None
        if rep_method == SplitMethod.WEIGHTS:
            given = {
                str(k): v for k, v in (rep_weights or {}).items() if str(k) in {str(r.pk) for r in team_reps}
            }
        try:
            rep_weight_lists[team.pk] = _keyed_weights(
                rep_method, given, team_reps, field_name="rep_weights", what=_("rep")
            )
        except ValidationError as error:
            messages = [f"{team.name}: {message}" for message in error.message_dict["rep_weights"]]
            raise ValidationError({"rep_weights": messages}) from None

    months = split_exactly(plan.amount, weights_by_month)
    wanted: dict[tuple, Decimal] = {}
    for month, month_amount in enumerate(months, start=1):
        wanted[(month, None, None)] = month_amount
        if not teams:
            continue
        for team, team_amount in zip(teams, split_exactly(month_amount, team_weight_list), strict=True):
            wanted[(month, team.pk, None)] = team_amount
            team_reps = reps_by_team[team.pk]
            for rep, rep_amount in zip(
                team_reps, split_exactly(team_amount, rep_weight_lists[team.pk]), strict=True
            ):
                wanted[(month, team.pk, rep.pk)] = rep_amount
    _save_allocations(plan, wanted, actor)
    plan.month_method = applied_method
    plan.team_method = team_method if teams else ""
    plan.rep_method = rep_method if teams else ""
    plan.decomposed_at = timezone.now()
    plan.save(update_fields=["month_method", "team_method", "rep_method", "decomposed_at", "updated_at"])
    return Decomposition(plan=plan, month_method=applied_method, warnings=warnings, months=months)


def _amounts(mapping: Mapping, *, field_name: str) -> dict:
    return {key: _money(value, field_name=field_name) for key, value in mapping.items()}


@transaction.atomic
def allocation_rep_split_set(
    *, actor: User, plan: Plan, team: Team, amounts: Mapping[tuple[int, int], object]
) -> None:
    """Set a team's split between its reps: ``amounts`` maps (month, rep id) → amount.
    The team's month totals stay fixed, so for every month touched the reps must add up
    exactly to it; reps not mentioned keep their amounts."""
    rules.ensure_can_adjust_team(actor, team)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
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
                    "difference": _difference_text(reps_total, team_months[month]),
                }
            )
    if errors:
        raise ValidationError({"amounts": errors})
    wanted = {
        (cell.month, cell.team_id, cell.rep_id): cell.amount for cell in Allocation.objects.filter(plan=plan)
    }
    for (month, rep_id), amount in amounts.items():
        wanted[(month, team.pk, rep_id)] = amount
    _save_allocations(plan, wanted, actor)


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
            "difference": _difference_text(months_sum, plan.amount),
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
                    "difference": _difference_text(teams_sum, month_total),
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
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
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
    _save_allocations(plan, wanted, actor)


# --------------------------------------------------------------------------- norms


def _norm_numbers(calls_per_day, meetings_per_week) -> tuple[int, int]:
    errors = {}
    values = {}
    for name, value, ceiling in (
        ("calls_per_day", calls_per_day, MAX_CALLS_PER_DAY),
        ("meetings_per_week", meetings_per_week, MAX_MEETINGS_PER_WEEK),
    ):
        try:
            number = int(value)
            if str(value).strip() != str(number) and not isinstance(value, int):
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Enter a whole number.")
            continue
        if not 0 <= number <= ceiling:
            errors[name] = _("Enter a number from 0 to %(max)d.") % {"max": ceiling}
        values[name] = number
    if errors:
        raise ValidationError(errors)
    return values["calls_per_day"], values["meetings_per_week"]


@transaction.atomic
def norm_set_for_role(*, actor: User, role: str, calls_per_day, meetings_per_week) -> ActivityNorm:
    rules.ensure_can_set_plans(actor)
    if not rules.is_norm_role(role):
        raise ValidationError({"role": _("Choose a role.")})
    calls, meetings = _norm_numbers(calls_per_day, meetings_per_week)
    norm, _created = ActivityNorm.objects.select_for_update().update_or_create(
        role=role, user=None, defaults={"calls_per_day": calls, "meetings_per_week": meetings}
    )
    return norm


@transaction.atomic
def norm_set_for_user(*, actor: User, person: User, calls_per_day, meetings_per_week) -> ActivityNorm:
    """A personal norm that overrides the person's role norm."""
    if not User.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise Http404(_("Not found."))
    if not rules.may_set_norm_for(actor, person):
        raise PermissionDenied(_("You may not set this person's norm."))
    calls, meetings = _norm_numbers(calls_per_day, meetings_per_week)
    norm, _created = ActivityNorm.objects.select_for_update().update_or_create(
        user=person, defaults={"role": "", "calls_per_day": calls, "meetings_per_week": meetings}
    )
    return norm


@transaction.atomic
def norm_save(
    *,
    actor: User,
    norm: ActivityNorm | None = None,
    role: str | None = None,
    person: User | None = None,
    calls_per_day=None,
    meetings_per_week=None,
) -> ActivityNorm:
    """Create a norm (a personal one when ``person`` is given, else the role's) or change
    ``norm``, which keeps its role or person; a number not given (None) keeps the norm's
    value, or is 0 for a new norm."""
    if norm is not None:
        role, person = norm.role, norm.user
    numbers = {
        "calls_per_day": calls_per_day if calls_per_day is not None else (norm.calls_per_day if norm else 0),
        "meetings_per_week": (
            meetings_per_week if meetings_per_week is not None else (norm.meetings_per_week if norm else 0)
        ),
    }
    if person is not None:
        return norm_set_for_user(actor=actor, person=person, **numbers)
    return norm_set_for_role(actor=actor, role=role, **numbers)


@transaction.atomic
def norm_delete(*, actor: User, norm: ActivityNorm) -> None:
    if not rules.may_change_norm(actor, norm):
        raise PermissionDenied(_("You may not remove this norm."))
    norm.delete()


# --------------------------------------------------------------------------- receivables


def _outstanding(installment: Installment) -> Decimal:
    paid = installment.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return installment.amount - paid


def installment_paid_refresh(*, installment_ids=None) -> int:
    """Recompute the kept sum of payments of the given installments (all when None) from
    the payments themselves, in one UPDATE. Every code path that writes payments calls it."""
    paid = (
        Payment.objects.filter(installment=OuterRef("pk"))
        .order_by()
        .values("installment")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    queryset = Installment.objects.all()
    if installment_ids is not None:
        queryset = queryset.filter(pk__in=list(installment_ids))
    return queryset.update(
        paid_amount=Coalesce(
            Subquery(paid, output_field=Installment._meta.get_field("paid_amount")), Decimal("0")
        )
    )


@transaction.atomic
def installment_schedule_create(
    *,
    actor: User,
    deal: Deal,
    installments: int,
    first_due: datetime.date,
    interval_months: int = 1,
    note: str = "",
) -> list[Installment]:
    """Split a won deal's amount into ``installments`` lines due every ``interval_months``
    from ``first_due``, adding up exactly to the amount (the last line takes the odd cents).

    Regenerating a schedule keeps every installment that has a payment against it exactly
    as it is and spreads only what those do not cover over the new lines."""
    rules.ensure_can_keep_receivables(actor, deal)
    deal = Deal.objects.select_for_update().select_related("stage").get(pk=deal.pk)
    errors = {}
    if deal.stage.kind != StageKind.WON:
        errors["deal"] = _("Only a won deal gets a payment schedule; this deal is at %(stage)s.") % {
            "stage": deal.stage.name
        }
    if not isinstance(installments, int) or not 1 <= installments <= MAX_INSTALLMENTS:
        errors["installments"] = _("Choose between 1 and %(max)d installments.") % {"max": MAX_INSTALLMENTS}
    if not isinstance(interval_months, int) or not 1 <= interval_months <= MAX_INTERVAL_MONTHS:
        errors["interval_months"] = _("Choose an interval of 1 to %(max)d months.") % {
            "max": MAX_INTERVAL_MONTHS
        }
    if not isinstance(first_due, datetime.date):
        errors["first_due"] = _("Give the first due date.")
    if errors:
        raise ValidationError(errors)
    _date_in_range(first_due, field_name="first_due")
    try:
        last_due = first_due + relativedelta(months=(installments - 1) * interval_months)
        check_date_in_range(last_due)
    except (ValueError, OverflowError, ValidationError):
        raise ValidationError(
            {
                "first_due": _(
                    "The last of %(count)d installments would fall due beyond the dates the "
                    "system keeps; choose an earlier first due date."
                )
                % {"count": installments}
            }
        ) from None
    existing = list(Installment.objects.filter(deal=deal).select_for_update().order_by("pk"))
    paid_ids = set(Payment.objects.filter(installment__deal=deal).values_list("installment_id", flat=True))
    kept = [line for line in existing if line.pk in paid_ids]
    kept_total = sum((line.amount for line in kept), Decimal("0.00"))
    remaining = deal.amount - kept_total
    if remaining <= 0:
        message = _(
            "The installments with payments already cover the deal's %(amount)s; "
            "there is nothing left to schedule."
        ) % {"amount": money_text(deal.amount)}
        raise ValidationError({"installments": message})
    if remaining < CENT * installments:
        raise ValidationError(
            {
                "installments": _("%(amount)s cannot be split into %(count)d installments.")
                % {"amount": money_text(remaining), "count": installments}
            }
        )
    for line in existing:
        if line.pk not in paid_ids:
            line._history_user = actor
            line.delete()
    lines = [
        Installment(
            deal=deal,
            due_date=first_due + relativedelta(months=index * interval_months),
            amount=amount,
            note=note,
        )
        for index, amount in enumerate(split_exactly(remaining, [1] * installments))
    ]
    return bulk_create_with_history(lines, Installment, default_user=actor)


@transaction.atomic
def installment_update(
    *, actor: User, installment: Installment, due_date: datetime.date | None = None, note: str | None = None
) -> Installment:
    """Reschedule an installment or change its note; amounts change through the generator."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = Installment.objects.select_for_update().get(pk=installment.pk)
    if due_date is not None:
        _date_in_range(due_date, field_name="due_date")
        installment.due_date = due_date
    if note is not None:
        installment.note = note
    installment.save()
    return installment


@transaction.atomic
def payment_record(
    *,
    actor: User,
    installment: Installment,
    amount,
    paid_on: datetime.date,
    is_overpayment: bool = False,
    note: str = "",
) -> Payment:
    """Record a payment against an installment. The amount must be positive and at most
    what is outstanding, unless it is explicitly recorded as an overpayment. The
    installment row is locked so two people cannot both pay off the same balance."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = Installment.objects.select_for_update().get(pk=installment.pk)
    amount = _money(amount, field_name="amount", allow_zero=False)
    today = timezone.localdate()
    if not isinstance(paid_on, datetime.date):
        raise ValidationError({"paid_on": _("Give the date of the payment.")})
    _date_in_range(paid_on, field_name="paid_on")
    if paid_on > today:
        raise ValidationError({"paid_on": _("A payment cannot be dated in the future.")})
    outstanding = _outstanding(installment)
    exceeds = amount > outstanding
    if exceeds and not is_overpayment:
        if outstanding <= 0:
            message = _(
                "This installment is paid in full; "
                "record the payment as an overpayment if the client paid again."
            )
        else:
            message = _(
                "The payment of %(amount)s is more than the %(outstanding)s outstanding; "
                "record it as an overpayment if the client really paid that much."
            ) % {"amount": money_text(amount), "outstanding": money_text(outstanding)}
        raise ValidationError({"amount": message})
    payment = Payment(
        installment=installment,
        amount=amount,
        paid_on=paid_on,
        is_overpayment=exceeds,
        note=note or "",
        recorded_by=actor,
    )
    payment._history_user = actor
    payment.save()
    installment.save(update_fields=["updated_at"])
    installment_paid_refresh(installment_ids=[installment.pk])
    return payment


@transaction.atomic
def payment_delete(*, actor: User, payment: Payment) -> None:
    """Take back a payment that was recorded by mistake or bounced; the installment's
    balance (and with it any overdue alert) follows on the next read."""
    rules.ensure_can_keep_receivables(actor, payment.installment.deal)
    installment = Installment.objects.select_for_update().get(pk=payment.installment_id)
    payment._history_user = actor
    payment.delete()
    installment.save(update_fields=["updated_at"])
    installment_paid_refresh(installment_ids=[installment.pk])


@transaction.atomic
def overdue_reason_add(
    *, actor: User, installment: Installment, reason: str, promised_date: datetime.date | None = None
) -> OverdueReason:
    """Why a payment is late and when it is now promised. Reasons are never overwritten:
    each one is kept and the latest is shown."""
    rules.ensure_can_keep_receivables(actor, installment.deal)
    installment = Installment.objects.select_for_update().get(pk=installment.pk)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the payment is late.")
    elif len(reason) > 2000:
        errors["reason"] = _("Keep the reason under 2,000 characters.")
    if promised_date is not None and promised_date < timezone.localdate():
        errors["promised_date"] = _("The promised date cannot be in the past.")
    elif promised_date is not None:
        try:
            check_date_in_range(promised_date)
        except ValidationError as error:
            errors["promised_date"] = error.messages[0]
    if _outstanding(installment) <= 0:
        errors["installment"] = _("This installment is paid in full; there is nothing to explain.")
    if errors:
        raise ValidationError(errors)
    return OverdueReason.objects.create(
        installment=installment,
        reason=reason,
        promised_date=promised_date,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
