"""Every write to plans and their decomposition into months, teams and reps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.models import Team, User
from accounts.roles import QUOTA_CARRYING_ROLES
from core.locks import lock_one
from targets import rules
from targets.models import (
    Allocation,
    MonthMethod,
    Plan,
    PlanMetric,
    SplitMethod,
)
from targets.selectors.plans import department_monthly_actuals
from targets.services.common import (
    month_name,
    parse_money,
    parse_weights,
    split_exactly,
)


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
        amount = parse_money(amount, field_name="amount")
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
    plan = lock_one(Plan.objects, pk=plan.pk)
    if amount is not None:
        plan.amount = parse_money(amount, field_name="amount")
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
    actuals = department_monthly_actuals(year=plan.year - 1, metric=plan.metric)
    return [actuals.get(month, Decimal("0")) for month in range(1, 13)]


def _month_weights(plan: Plan, month_method: str, month_weights, warnings: list[str]) -> tuple[str, list]:
    if month_method == MonthMethod.EVEN:
        return MonthMethod.EVEN, [1] * 12
    if month_method == MonthMethod.WEIGHTS:
        labels = [month_name(month) for month in range(1, 13)]
        return MonthMethod.WEIGHTS, parse_weights(
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
    return parse_weights(
        [given[str(item.pk)] for item in items], field_name=field_name, labels=[str(i) for i in items]
    )


def save_allocations(plan: Plan, wanted: dict[tuple, Decimal], actor: User) -> None:
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
    plan = lock_one(Plan.objects, pk=plan.pk)
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
    save_allocations(plan, wanted, actor)
    plan.month_method = applied_method
    plan.team_method = team_method if teams else ""
    plan.rep_method = rep_method if teams else ""
    plan.decomposed_at = timezone.now()
    plan.save(update_fields=["month_method", "team_method", "rep_method", "decomposed_at", "updated_at"])
    return Decomposition(plan=plan, month_method=applied_method, warnings=warnings, months=months)
