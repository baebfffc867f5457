"""Incentives: saving a bonus scheme (head only) and computing every person's monthly bonus
into ``IncentiveReport`` in the nightly run.

The rule, for a person whose role has an active scheme, for a month through ``as_of``:

- basis: booked revenue (won deals' amounts by close date) or collected revenue (counted
  payments by date), as in plan fulfilment (reports.services.fulfilment);
- plan: the person's rep-month cells of the plan with the same metric (targets);
- the tier reached is the one with the highest threshold ≤ fulfilment (a threshold counts
  from its value on: exactly 80% reaches the 80% tier, exactly 100% the 100% tier); the
  comparison is exact (basis × 100 ≥ threshold × plan), not on the rounded percentage;
- below the lowest threshold, or without a plan (none, or zero), no tier: rate 0, bonus 0;
- bonus = basis × the tier's rate / 100 on the whole basis, rounded half up to the cent
  (core.money).

Every run recomputes the month's rows from the current scheme and upserts them
(reports.services.common.upsert_report_rows): running a date twice writes nothing new."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from accounts.models import User
from core.money import money
from reports.models import BonusScheme, BonusTier, IncentiveReport, Scope
from reports.models.incentives import HUNDRED, SCHEME_ROLE_CHOICES
from reports.rules import may_set_bonus_schemes
from reports.services.common import Month, RunResult, percent, upsert_report_rows
from reports.services.fulfilment import booked_deals, collected_payments, month_plans
from targets.models import PlanMetric

Tier = tuple[Decimal, Decimal]  # (threshold %, rate %)
MAX_THRESHOLD = Decimal("99999.99")


def _decimal(value, field: str, errors: list[str]) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.append(_("%(field)s: give a number.") % {"field": field})
        return None
    if not number.is_finite():
        errors.append(_("%(field)s: give a number.") % {"field": field})
        return None
    if number.adjusted() >= 15:
        # Far beyond every threshold and rate: the range check says so (rounding it to cents
        # overflowed the decimal context: "1e30" answered 500).
        return number
    if number != number.quantize(Decimal("0.01")):
        errors.append(_("%(field)s: at most two decimal places.") % {"field": field})
        return None
    return number.quantize(Decimal("0.01"))


def tiers_clean(tiers: Iterable[Sequence]) -> list[Tier]:
    """The tiers as (threshold %, rate %) Decimals, or a ValidationError saying what is
    wrong: at least one tier, thresholds from 0 and strictly ascending, rates 0–100."""
    errors: list[str] = []
    cleaned: list[Tier] = []
    for position, (threshold, rate) in enumerate(tiers, start=1):
        threshold_value = _decimal(threshold, _("Tier %(n)s threshold") % {"n": position}, errors)
        rate_value = _decimal(rate, _("Tier %(n)s rate") % {"n": position}, errors)
        if threshold_value is None or rate_value is None:
            continue
        if not Decimal(0) <= threshold_value <= MAX_THRESHOLD:
            errors.append(_("Tier %(n)s: the threshold must be between 0 and 99999.99%%.") % {"n": position})
        if not Decimal(0) <= rate_value <= HUNDRED:
            errors.append(_("Tier %(n)s: the rate must be between 0 and 100%%.") % {"n": position})
        if cleaned and threshold_value <= cleaned[-1][0]:
            errors.append(
                _("Tier %(n)s: thresholds must ascend (each above the one before).") % {"n": position}
            )
        cleaned.append((threshold_value, rate_value))
    if not cleaned and not errors:
        errors.append(_("Give at least one tier."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def tier_reached(tiers: Sequence[Tier], *, basis: Decimal, plan: Decimal | None) -> Tier | None:
    """The tier whose rate applies (tiers ascending), or None below the lowest threshold or
    without a plan."""
    if not plan:
        return None
    reached = None
    for threshold, rate in tiers:
        if basis * 100 >= threshold * plan:
            reached = (threshold, rate)
    return reached


def bonus_of(basis: Decimal, rate: Decimal) -> Decimal:
    return money(basis * rate / HUNDRED)


@transaction.atomic
def bonus_scheme_save(
    *, by: User, role: str, basis: str, active: bool, tiers: Iterable[Sequence]
) -> BonusScheme:
    """Set a role's scheme (created on first save) and replace its tiers — head only."""
    if not may_set_bonus_schemes(by):
        raise PermissionDenied(_("Only the head of sales sets bonus schemes."))
    errors = {}
    if role not in dict(SCHEME_ROLE_CHOICES):
        errors["role"] = _("Bonus schemes are set for roles that carry a plan.")
    if basis not in PlanMetric.values:
        errors["basis"] = _("Choose booked or collected revenue.")
    try:
        cleaned = tiers_clean(tiers)
    except ValidationError as error:
        errors["tiers"] = error.messages
    if errors:
        raise ValidationError(errors)
    scheme = BonusScheme.objects.select_for_update().filter(role=role).first()
    if scheme is None:
        scheme = BonusScheme(role=role)
    scheme.basis, scheme.active, scheme.updated_by = basis, active, by
    scheme.save()
    scheme.tiers.all().delete()
    BonusTier.objects.bulk_create(
        [BonusTier(scheme=scheme, threshold_pct=threshold, rate_pct=rate) for threshold, rate in cleaned]
    )
    return scheme


def _basis_by_person(month: Month) -> dict[str, dict[int, Decimal]]:
    """basis → person → amount: two grouped queries."""
    booked = booked_deals(month).order_by().values("owner").annotate(total=Sum("amount"))
    collected = (
        collected_payments(month).order_by().values("installment__deal__owner").annotate(total=Sum("amount"))
    )
    return {
        PlanMetric.BOOKED: {row["owner"]: money(row["total"]) for row in booked},
        PlanMetric.COLLECTED: {row["installment__deal__owner"]: money(row["total"]) for row in collected},
    }


@transaction.atomic
def incentives_compute(*, as_of: datetime.date) -> RunResult:
    month = Month.of(as_of)
    schemes = {
        scheme.role: (scheme.basis, [(tier.threshold_pct, tier.rate_pct) for tier in scheme.tiers.all()])
        for scheme in BonusScheme.objects.filter(active=True).prefetch_related("tiers")
    }
    existing = IncentiveReport.objects.filter(period=month.start)
    if not schemes:  # nobody is paid a bonus: the month has no rows
        return upsert_report_rows(IncentiveReport, rows={}, existing=existing, as_of=as_of)
    basis_amounts = _basis_by_person(month)
    plans = month_plans(month)
    mentioned = {pk for amounts in basis_amounts.values() for pk in amounts}
    people = User.objects.filter(role__in=list(schemes)).filter(Q(is_active=True) | Q(pk__in=mentioned))
    rows = {}
    for person_id, role in people.order_by("pk").values_list("pk", "role"):
        basis, tiers = schemes[role]
        amount = basis_amounts[basis].get(person_id, money(0))
        plan = plans.get((Scope.REP, None, person_id), {}).get(basis)
        reached = tier_reached(tiers, basis=amount, plan=plan)
        rate = reached[1] if reached else Decimal("0.00")
        rows[(month.start, Scope.REP, None, person_id)] = {
            "role": role,
            "basis": basis,
            "basis_amount": amount,
            "plan": plan,
            "fulfilment_pct": percent(amount, plan),
            "tier_pct": reached[0] if reached else None,
            "rate_pct": rate,
            "bonus": bonus_of(amount, rate),
        }
    return upsert_report_rows(IncentiveReport, rows=rows, existing=existing, as_of=as_of)
