"""Incentives: the bonus of each person for a month, tiers by plan fulfilment, figures
recomputed by hand (issue 14)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts.models import Role
from reports.models import IncentiveReport, ReportKind, ReportRun
from reports.services.incentives import bonus_scheme_save, incentives_compute, tier_reached, tiers_clean
from targets.models import Allocation, Plan, PlanMetric
from tests.factories import InstallmentFactory, PaymentFactory, PlanFactory, UserFactory
from tests.reports.conftest import comparable_rows, make_deal

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)
FEBRUARY = datetime.date(2026, 2, 1)
AS_OF = datetime.date(2026, 3, 31)
TIERS = [("80", "5"), ("100", "8")]


def won(owner, amount, day=datetime.date(2026, 3, 10)):
    return make_deal(owner, stage_name="Won", amount=amount, closed=day)


def paid(deal, amount, day=datetime.date(2026, 3, 12)):
    installment = InstallmentFactory(deal=deal, amount=Decimal(amount), due_date=day)
    return PaymentFactory(installment=installment, amount=Decimal(amount), paid_on=day)


@pytest.fixture
def incentives(department):
    """March 2026: every rep's booked plan is 10 000.00 (the account manager's collected
    plan 5 000.00); reps are paid on booked revenue, account managers on collected, both
    0% below 80% of plan, 5% from 80%, 8% from 100%."""
    d = department
    d.rep_new = UserFactory(username="rep_new", role=Role.REP, team=d.north)
    booked = PlanFactory(year=2026, metric=PlanMetric.BOOKED, amount=Decimal("120000.00"), created_by=d.head)
    collected = PlanFactory(
        year=2026, metric=PlanMetric.COLLECTED, amount=Decimal("60000.00"), created_by=d.head
    )
    for rep in (d.rep_north, d.rep_north_2, d.rep_south, d.rep_new):
        Allocation.objects.create(plan=booked, month=3, team=rep.team, rep=rep, amount=Decimal("10000.00"))
    Allocation.objects.create(plan=booked, month=2, team=d.north, rep=d.rep_north, amount=Decimal("4000.00"))
    Allocation.objects.create(
        plan=collected, month=3, team=d.south, rep=d.account_manager_south, amount=Decimal("5000.00")
    )
    bonus_scheme_save(by=d.head, role=Role.REP, basis=PlanMetric.BOOKED, active=True, tiers=TIERS)
    bonus_scheme_save(
        by=d.head, role=Role.ACCOUNT_MANAGER, basis=PlanMetric.COLLECTED, active=True, tiers=TIERS
    )
    # rep_north: 7 999.99 of 10 000 = 79.9999%, a cent below the first tier.
    north_deal = won(d.rep_north, "7999.99")
    # February: 5 000.00 of 4 000.00 = 125%.
    won(d.rep_north, "5000.00", datetime.date(2026, 2, 20))
    # rep_north_2: exactly 80% (and 1 000.00 collected, which a booked basis ignores).
    north_2_deal = won(d.rep_north_2, "8000.00")
    paid(north_2_deal, "1000.00")
    # rep_south: exactly 100% (two deals), plus a lost deal and an April win that do not count.
    won(d.rep_south, "6000.00", datetime.date(2026, 3, 1))
    won(d.rep_south, "4000.00", datetime.date(2026, 3, 31))
    make_deal(d.rep_south, stage_name="Lost", amount="9000.00", closed=datetime.date(2026, 3, 15))
    won(d.rep_south, "9000.00", datetime.date(2026, 4, 1))
    # rep_new: 9 333.33 = 93.3333% → 5%: 466.6665 → 466.67.
    won(d.rep_new, "9333.33")
    # The account manager: collected 6 543.21 of 5 000 = 130.8642% → 8%: 523.4568 → 523.46;
    # their 20 000.00 booked does not count.
    am_deal = won(d.account_manager_south, "20000.00")
    paid(am_deal, "6000.00")
    paid(am_deal, "543.21", datetime.date(2026, 3, 31))
    paid(am_deal, "999.00", datetime.date(2026, 4, 1))  # April
    # rep_without_team (no team, so no plan cell): 5 000.00 won, no tier, no bonus.
    won(d.rep_without_team, "5000.00")
    # A voided payment adds nothing.
    voided = paid(north_deal, "700.00")
    type(voided).objects.filter(pk=voided.pk).update(
        voided_at=datetime.datetime(2026, 3, 13, tzinfo=datetime.UTC)
    )
    return d


def row(person, period=MARCH):
    found = IncentiveReport.objects.get(period=period, scope="rep", rep=person)
    return (
        found.basis,
        found.basis_amount,
        found.plan,
        found.fulfilment_pct,
        found.tier_pct,
        found.rate_pct,
        found.bonus,
    )


def figures(basis, amount, plan, pct, tier, rate, bonus):
    as_decimal = [
        None if value is None else Decimal(value) for value in (amount, plan, pct, tier, rate, bonus)
    ]
    return (basis, *as_decimal)


def test_bonuses_with_tiers_exactly_as_computed_by_hand(incentives):
    d = incentives
    result = incentives_compute(as_of=AS_OF)

    # Below the first tier by a cent: fulfilment shows 80.00% rounded, yet no tier is reached.
    assert row(d.rep_north) == figures("booked", "7999.99", "10000.00", "80.00", None, "0.00", "0.00")
    # Exactly at 80%: the base tier.
    assert row(d.rep_north_2) == figures("booked", "8000.00", "10000.00", "80.00", "80.00", "5.00", "400.00")
    # Exactly at 100%: the accelerated tier.
    assert row(d.rep_south) == figures("booked", "10000.00", "10000.00", "100.00", "100.00", "8.00", "800.00")
    assert row(d.rep_new) == figures("booked", "9333.33", "10000.00", "93.33", "80.00", "5.00", "466.67")
    assert row(d.account_manager_south) == figures(
        "collected", "6543.21", "5000.00", "130.86", "100.00", "8.00", "523.46"
    )
    assert row(d.rep_without_team) == figures("booked", "5000.00", None, None, None, "0.00", "0.00")
    # Only people whose role has a scheme, and no inactive person without figures.
    people = set(IncentiveReport.objects.values_list("rep__username", flat=True))
    assert people == {"rep_north", "rep_north_2", "rep_south", "rep_without_team", "am_south", "rep_new"}
    assert (result.rows_written, result.rows_total) == (6, 6)


def test_collected_basis_instead_of_booked(incentives):
    d = incentives
    collected = Plan.objects.get(year=2026, metric=PlanMetric.COLLECTED)
    Allocation.objects.create(
        plan=collected, month=3, team=d.north, rep=d.rep_north_2, amount=Decimal("1250.00")
    )
    bonus_scheme_save(by=d.head, role=Role.REP, basis=PlanMetric.COLLECTED, active=True, tiers=TIERS)
    incentives_compute(as_of=AS_OF)
    # 1 000.00 collected of 1 250.00 = 80% → 5% = 50.00 (the 8 000.00 booked no longer counts).
    assert row(d.rep_north_2) == figures("collected", "1000.00", "1250.00", "80.00", "80.00", "5.00", "50.00")
    # rep_north's only payment was voided; no collected plan: nothing.
    assert row(d.rep_north) == figures("collected", "0.00", None, None, None, "0.00", "0.00")


def test_figures_through_the_run_date_only(incentives):
    d = incentives
    incentives_compute(as_of=datetime.date(2026, 3, 30))
    # The 4 000.00 deal closes on the 31st: 6 000.00 = 60%, below the first tier.
    assert row(d.rep_south) == figures("booked", "6000.00", "10000.00", "60.00", None, "0.00", "0.00")
    assert row(d.account_manager_south) == figures(
        "collected", "6000.00", "5000.00", "120.00", "100.00", "8.00", "480.00"
    )


def test_running_twice_writes_nothing_and_duplicates_nothing(incentives):
    incentives_compute(as_of=AS_OF)
    first = comparable_rows(IncentiveReport)
    assert incentives_compute(as_of=AS_OF).rows_written == 0
    assert comparable_rows(IncentiveReport) == first
    assert IncentiveReport.objects.count() == 6


def test_a_changed_scheme_updates_the_rows_in_place(incentives):
    d = incentives
    incentives_compute(as_of=AS_OF)
    bonus_scheme_save(by=d.head, role=Role.REP, basis=PlanMetric.BOOKED, active=True, tiers=[("50", "2.5")])
    result = incentives_compute(as_of=AS_OF)
    assert row(d.rep_south) == figures("booked", "10000.00", "10000.00", "100.00", "50.00", "2.50", "250.00")
    assert IncentiveReport.objects.count() == 6
    # The four reps with a plan; the rep without a plan and the account manager are unchanged.
    assert result.rows_written == 4


def test_an_inactive_scheme_removes_its_rows(incentives):
    d = incentives
    incentives_compute(as_of=AS_OF)
    bonus_scheme_save(by=d.head, role=Role.REP, basis=PlanMetric.BOOKED, active=False, tiers=TIERS)
    incentives_compute(as_of=AS_OF)
    assert list(IncentiveReport.objects.values_list("rep__username", flat=True)) == ["am_south"]


def test_the_nightly_run_and_the_backfill_fill_past_months(incentives):
    d = incentives
    call_command(
        "run_reports", "--date", "2026-03-31", "--months", "2", "--kind", "incentives", stdout=StringIO()
    )
    assert row(d.rep_north, FEBRUARY) == figures(
        "booked", "5000.00", "4000.00", "125.00", "100.00", "8.00", "400.00"
    )
    assert row(d.rep_north) == figures("booked", "7999.99", "10000.00", "80.00", None, "0.00", "0.00")
    assert IncentiveReport.objects.filter(period=FEBRUARY).count() == 6
    assert set(ReportRun.objects.filter(kind=ReportKind.INCENTIVES).values_list("run_date", "status")) == {
        (datetime.date(2026, 2, 28), "succeeded"),
        (datetime.date(2026, 3, 31), "succeeded"),
    }
    call_command(
        "run_reports", "--date", "2026-03-31", "--months", "2", "--kind", "incentives", stdout=StringIO()
    )
    assert IncentiveReport.objects.count() == 12


def test_without_any_scheme_the_month_has_no_rows(department):
    result = incentives_compute(as_of=AS_OF)
    assert (result.rows_written, result.rows_total, result.skipped) == (0, 0, "")
    assert not IncentiveReport.objects.exists()


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([], "Give at least one tier."),
        ([("100", "5"), ("80", "8")], "Tier 2: thresholds must ascend (each above the one before)."),
        ([("80", "5"), ("80", "8")], "Tier 2: thresholds must ascend (each above the one before)."),
        ([("80", "101")], "Tier 1: the rate must be between 0 and 100%."),
        ([("80", "-1")], "Tier 1: the rate must be between 0 and 100%."),
        ([("-5", "1")], "Tier 1: the threshold must be between 0 and 99999.99%."),
        ([("eighty", "5")], "Tier 1 threshold: give a number."),
        ([("80", "NaN")], "Tier 1 rate: give a number."),
        ([("80", "5.001")], "Tier 1 rate: at most two decimal places."),
        ([("1e30", "5")], "Tier 1: the threshold must be between 0 and 99999.99%."),  # was a 500
        ([("80", "1e309")], "Tier 1: the rate must be between 0 and 100%."),
        ([("-" + "9" * 40, "5")], "Tier 1: the threshold must be between 0 and 99999.99%."),
    ],
)
def test_bad_tiers_are_refused_with_a_message(tiers, message):
    with pytest.raises(ValidationError) as raised:
        tiers_clean(tiers)
    assert message in raised.value.messages


def test_tiers_are_decimals_and_the_rule_is_exact():
    tiers = tiers_clean([("80", "5"), ("100", "8,5")])
    assert tiers == [(Decimal("80.00"), Decimal("5.00")), (Decimal("100.00"), Decimal("8.50"))]
    assert tier_reached(tiers, basis=Decimal("7999.99"), plan=Decimal("10000.00")) is None
    assert tier_reached(tiers, basis=Decimal("8000.00"), plan=Decimal("10000.00")) == tiers[0]
    assert tier_reached(tiers, basis=Decimal("9999.99"), plan=Decimal("10000.00")) == tiers[0]
    assert tier_reached(tiers, basis=Decimal("10000.00"), plan=Decimal("10000.00")) == tiers[1]
    assert tier_reached(tiers, basis=Decimal("10000.00"), plan=Decimal("0.00")) is None


def test_only_the_head_sets_schemes_and_a_refusal_writes_nothing(department):
    d = department
    for user in (d.analyst, d.lead_north, d.rep_north):
        with pytest.raises(PermissionDenied):
            bonus_scheme_save(by=user, role=Role.REP, basis=PlanMetric.BOOKED, active=True, tiers=TIERS)
    with pytest.raises(ValidationError):
        bonus_scheme_save(by=d.head, role=Role.LEAD, basis=PlanMetric.BOOKED, active=True, tiers=TIERS)
    with pytest.raises(ValidationError):
        bonus_scheme_save(by=d.head, role=Role.REP, basis="profit", active=True, tiers=TIERS)
    from reports.models import BonusScheme, BonusTier

    assert (BonusScheme.objects.count(), BonusTier.objects.count()) == (0, 0)
