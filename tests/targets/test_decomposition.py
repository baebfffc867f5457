"""Splitting the annual plan into months, teams and reps: exact to the cent, every time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets.models import Allocation, MonthMethod, Plan, PlanMetric
from targets.services import (
    allocation_department_split_set,
    allocation_rep_split_set,
    plan_create,
    plan_decompose,
    split_exactly,
)
from tests.factories import PaymentFactory

D = Decimal


def cells(plan, **level):
    return {
        (row.month, row.team_id, row.rep_id): row.amount
        for row in Allocation.objects.filter(plan=plan, **level)
    }


def month_amounts(plan):
    rows = Allocation.objects.filter(plan=plan, team__isnull=True, rep__isnull=True).order_by("month")
    return [row.amount for row in rows]


def assert_every_level_adds_up(plan):
    months = Allocation.objects.filter(plan=plan, team__isnull=True, rep__isnull=True)
    assert months.count() == 12
    assert months.aggregate(total=Sum("amount"))["total"] == plan.amount
    for month in months:
        teams = Allocation.objects.filter(plan=plan, month=month.month, team__isnull=False, rep__isnull=True)
        assert teams.aggregate(total=Sum("amount"))["total"] == month.amount
        for team in teams:
            reps = Allocation.objects.filter(plan=plan, month=month.month, team=team.team, rep__isnull=False)
            assert reps.aggregate(total=Sum("amount"))["total"] == team.amount


# --------------------------------------------------------------------------- split_exactly


def test_an_even_split_puts_the_odd_cent_last():
    assert split_exactly(D("1000.00"), [1, 1, 1]) == [D("333.33"), D("333.33"), D("333.34")]


def test_twelve_months_of_100_put_the_four_odd_cents_at_the_end_of_the_year():
    assert split_exactly(D("100.00"), [1] * 12) == [D("8.33")] * 8 + [D("8.34")] * 4


def test_weights_split_by_largest_remainder():
    # exact shares 16.666…, 33.333…, 50.00: the left-over cent goes to the largest remainder
    assert split_exactly(D("100.00"), [D("1"), D("2"), D("3")]) == [D("16.67"), D("33.33"), D("50.00")]


def test_zero_weights_get_nothing_and_zero_totals_split_to_zero():
    assert split_exactly(D("0.05"), [0, 1, 0, 1]) == [D("0.00"), D("0.02"), D("0.00"), D("0.03")]
    assert split_exactly(D("0.00"), [1, 1]) == [D("0.00"), D("0.00")]


def test_split_refuses_fractions_of_cents_negative_and_all_zero_weights():
    with pytest.raises(ValueError):
        split_exactly(D("1.005"), [1, 1])
    with pytest.raises(ValueError):
        split_exactly(D("1.00"), [1, -1, 2])
    with pytest.raises(ValueError):
        split_exactly(D("1.00"), [0, 0])


weights_strategy = st.lists(
    st.decimals(min_value=0, max_value=1_000_000, places=3, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
).filter(lambda weights: sum(weights) > 0)
amount_strategy = st.integers(min_value=0, max_value=99_999_999_999_999).map(lambda cents: D(cents) / 100)


@given(total=amount_strategy, weights=weights_strategy)
def test_property_parts_always_add_up_exactly_and_stay_within_a_cent_of_the_share(total, weights):
    parts = split_exactly(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert part == part.quantize(D("0.01"))
        assert part >= 0
        assert abs(part - total * weight / weight_sum) < D("0.01")
        if weight == 0:
            assert part == 0


@given(total=amount_strategy, weights=weights_strategy)
def test_property_the_split_is_deterministic(total, weights):
    assert split_exactly(total, weights) == split_exactly(total, list(weights))


# --------------------------------------------------------------------------- plan_decompose


def test_even_decomposition_of_12_million(department, plan):
    plan.amount = D("12000000.00")
    plan.save()
    result = plan_decompose(actor=department.head, plan=plan, month_method=MonthMethod.EVEN)
    assert result.warnings == []
    assert month_amounts(plan) == [D("1000000.00")] * 12
    assert cells(plan, team=department.north, rep__isnull=True)[(1, department.north.pk, None)] == D(
        "500000.00"
    )
    # North's quota carriers are rep_north and rep_north_2 (the SDR and the inactive rep carry none)
    north_reps = cells(plan, team=department.north, rep__isnull=False, month=1)
    assert north_reps == {
        (1, department.north.pk, department.rep_north.pk): D("250000.00"),
        (1, department.north.pk, department.rep_north_2.pk): D("250000.00"),
    }
    south_reps = cells(plan, team=department.south, rep__isnull=False, month=1)
    assert sorted(south_reps.values()) == [D("250000.00"), D("250000.00")]
    assert Allocation.objects.filter(plan=plan).count() == 12 + 12 * 2 + 12 * 4
    plan.refresh_from_db()
    assert (plan.month_method, plan.team_method, plan.rep_method) == ("even", "even", "even")
    assert plan.decomposed_at is not None
    assert_every_level_adds_up(plan)


def test_decomposition_by_last_years_shares(department, plan, won_deal):
    last_year = plan.year - 1
    won_deal(department.rep_north, "3000.00", datetime.date(last_year, 3, 10))
    won_deal(department.rep_south, "1000.00", datetime.date(last_year, 7, 31))
    won_deal(department.rep_south, "99999.00", datetime.date(plan.year, 7, 1))  # this year: ignored
    result = plan_decompose(actor=department.head, plan=plan, month_method=MonthMethod.LAST_YEAR)
    assert result.month_method == MonthMethod.LAST_YEAR
    assert result.warnings == []
    expected = [D("0.00")] * 12
    expected[2] = D("900000.00")
    expected[6] = D("300000.00")
    assert month_amounts(plan) == expected
    assert_every_level_adds_up(plan)


def test_collected_plan_takes_last_years_shares_from_payments(department, won_deal, installment_of):
    plan = Plan.objects.create(
        year=2030, metric=PlanMetric.COLLECTED, amount=D("100.00"), created_by=department.head
    )
    deal = won_deal(department.rep_north, "1000.00", datetime.date(2029, 1, 5))
    line = installment_of(deal, "1000.00", datetime.date(2029, 2, 1))
    PaymentFactory(installment=line, amount=D("100.00"), paid_on=datetime.date(2029, 2, 1))
    PaymentFactory(installment=line, amount=D("200.00"), paid_on=datetime.date(2029, 11, 30))
    plan_decompose(actor=department.head, plan=plan, month_method=MonthMethod.LAST_YEAR)
    amounts = month_amounts(plan)
    assert amounts[1] == D("33.33")
    assert amounts[10] == D("66.67")
    assert sum(amounts) == D("100.00")


def test_last_years_shares_fall_back_to_even_and_say_so(department, plan):
    result = plan_decompose(actor=department.head, plan=plan, month_method=MonthMethod.LAST_YEAR)
    assert result.month_method == MonthMethod.EVEN_FALLBACK
    assert result.warnings == [
        f"{plan.year - 1} has no booked revenue (won deals by close date) to take shares from, "
        "so the months were split evenly."
    ]
    assert month_amounts(plan) == [D("100000.00")] * 12
    plan.refresh_from_db()
    assert plan.get_month_method_display() == "evenly (last year had no actuals)"


def test_decomposition_by_month_team_and_rep_weights(department, plan):
    plan_decompose(
        actor=department.head,
        plan=plan,
        month_method=MonthMethod.WEIGHTS,
        month_weights=[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.5],
        team_method="weights",
        team_weights={department.north.pk: 3, department.south.pk: 1},
        rep_method="weights",
        rep_weights={
            department.rep_north.pk: 1,
            department.rep_north_2.pk: 0,
            department.rep_south.pk: "2",
            department.account_manager_south.pk: "1",
        },
    )
    amounts = month_amounts(plan)
    assert amounts[:11] == [D("96000.00")] * 11
    assert amounts[11] == D("144000.00")
    december = cells(plan, month=12)
    assert december[(12, department.north.pk, None)] == D("108000.00")
    assert december[(12, department.south.pk, None)] == D("36000.00")
    assert december[(12, department.north.pk, department.rep_north.pk)] == D("108000.00")
    assert december[(12, department.north.pk, department.rep_north_2.pk)] == D("0.00")
    assert december[(12, department.south.pk, department.rep_south.pk)] == D("24000.00")
    assert december[(12, department.south.pk, department.account_manager_south.pk)] == D("12000.00")
    assert_every_level_adds_up(plan)


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        (
            {"month_method": "weights", "month_weights": [1] * 11},
            "month_weights",
            "Give 12 weights; 11 were given.",
        ),
        (
            {"month_method": "weights", "month_weights": [1] * 11 + [-1]},
            "month_weights",
            "The weight for December is negative.",
        ),
        (
            {"month_method": "weights", "month_weights": [0] * 12},
            "month_weights",
            "The weights add up to zero; give at least one a positive weight.",
        ),
        (
            {"month_method": "weights", "month_weights": ["x"] + [1] * 11},
            "month_weights",
            "The weight for January is not a number.",
        ),
        (
            {"month_method": "sideways"},
            "month_method",
            "Choose how to split the months: evenly, by weights or by last year's shares.",
        ),
        ({"month_method": "even", "team_method": "weights", "team_weights": {}}, "team_weights", None),
    ],
)
def test_bad_decomposition_input_changes_nothing(department, plan, arguments, field, message):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    before = cells(plan)
    with pytest.raises(ValidationError) as error:
        plan_decompose(actor=department.head, plan=plan, **arguments)
    if message is None:
        assert error.value.message_dict[field] == ["Give a weight for North, South."]
    else:
        assert error.value.message_dict[field] == [message]
    assert cells(plan) == before


def test_a_missing_rep_weight_names_the_team_and_the_rep(department, plan):
    with pytest.raises(ValidationError) as error:
        plan_decompose(
            actor=department.head,
            plan=plan,
            month_method="even",
            rep_method="weights",
            rep_weights={department.rep_north.pk: 1, department.rep_south.pk: 1},
        )
    assert error.value.message_dict["rep_weights"] == [
        f"North: Give a weight for {department.rep_north_2.full_name}."
    ]
    assert not Allocation.objects.filter(plan=plan).exists()


def test_redecomposing_replaces_the_previous_split(department, plan):
    plan_decompose(
        actor=department.head,
        plan=plan,
        month_method="weights",
        month_weights=[0] * 11 + [1],
        team_method="weights",
        team_weights={department.north.pk: 1, department.south.pk: 0},
    )
    assert month_amounts(plan)[11] == D("1200000.00")
    first_ids = set(Allocation.objects.filter(plan=plan).values_list("pk", flat=True))
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    assert month_amounts(plan) == [D("100000.00")] * 12
    assert (
        set(Allocation.objects.filter(plan=plan).values_list("pk", flat=True)) == first_ids
    )  # updated in place
    assert_every_level_adds_up(plan)
    december_north = Allocation.objects.get(plan=plan, month=12, team=department.north, rep__isnull=True)
    assert [h.amount for h in december_north.history.order_by("history_date")] == [
        D("1200000.00"),
        D("50000.00"),
    ]


def test_redecomposition_drops_reps_who_left(department, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    department.rep_north_2.is_active = False
    department.rep_north_2.save()
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    assert not Allocation.objects.filter(plan=plan, rep=department.rep_north_2).exists()
    assert Allocation.objects.get(plan=plan, month=1, rep=department.rep_north).amount == D("50000.00")
    assert_every_level_adds_up(plan)


@pytest.mark.parametrize("role", ["lead_north", "rep_north", "analyst", "assistant_north"])
def test_only_the_head_decomposes(department, plan, role):
    with pytest.raises(PermissionDenied):
        plan_decompose(actor=getattr(department, role), plan=plan, month_method="even")
    assert not Allocation.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.month_method == ""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.integers(min_value=0, max_value=99_999_999_999_99).map(lambda cents: D(cents) / 100),
    month_weights=st.lists(st.integers(min_value=0, max_value=1000), min_size=12, max_size=12).filter(any),
    team_weights=st.lists(st.integers(min_value=0, max_value=50), min_size=2, max_size=2).filter(any),
    rep_weights=st.lists(st.integers(min_value=1, max_value=50), min_size=4, max_size=4),
)
def test_property_every_month_team_and_rep_total_is_exact(
    department, plan, amount, month_weights, team_weights, rep_weights
):
    plan.amount = amount
    plan.save()
    reps = [
        department.rep_north,
        department.rep_north_2,
        department.rep_south,
        department.account_manager_south,
    ]
    plan_decompose(
        actor=department.head,
        plan=plan,
        month_method="weights",
        month_weights=month_weights,
        team_method="weights",
        team_weights={department.north.pk: team_weights[0], department.south.pk: team_weights[1]},
        rep_method="weights",
        rep_weights={rep.pk: weight for rep, weight in zip(reps, rep_weights, strict=True)},
    )
    assert_every_level_adds_up(plan)
    # Summed in Python: SQLite adds decimals as floating point, which blurs the last digit of
    # totals near the field's maximum; the stored amounts themselves are exact.
    assert (
        sum(Allocation.objects.filter(plan=plan, rep__isnull=False).values_list("amount", flat=True))
        == amount
    )


# --------------------------------------------------------------------------- plans


def test_plan_create_refuses_a_second_plan_for_the_same_year_and_metric(department, plan):
    with pytest.raises(ValidationError) as error:
        plan_create(actor=department.head, year=plan.year, metric="booked", amount="5.00")
    assert error.value.message_dict == {
        "year": [f"There is already a Booked revenue (won deals by close date) plan for {plan.year}."]
    }
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1.00", "The amount cannot be negative."),
        ("1.001", "Amounts are in whole cents (at most two decimals)."),
        ("lots", "Enter an amount such as 1500.00."),
    ],
)
def test_plan_create_refuses_bad_amounts(department, amount, message):
    with pytest.raises(ValidationError) as error:
        plan_create(actor=department.head, year=2031, metric="booked", amount=amount)
    assert error.value.message_dict == {"amount": [message]}
    assert not Plan.objects.exists()


def test_only_the_head_creates_plans(department):
    for user in (department.lead_north, department.analyst, department.rep_north):
        with pytest.raises(PermissionDenied):
            plan_create(actor=user, year=2031, metric="booked", amount="5.00")
    assert not Plan.objects.exists()


# --------------------------------------------------------------------------- adjustments


@pytest.fixture
def split_plan(department, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    return plan  # every month 100,000.00; each team 50,000.00; each rep 25,000.00


def test_lead_moves_plan_between_their_reps_keeping_the_team_total(department, split_plan):
    allocation_rep_split_set(
        actor=department.lead_north,
        plan=split_plan,
        team=department.north,
        amounts={(3, department.rep_north.pk): "30000.00", (3, department.rep_north_2.pk): "20000.00"},
    )
    march = cells(split_plan, month=3, team=department.north)
    assert march[(3, department.north.pk, department.rep_north.pk)] == D("30000.00")
    assert march[(3, department.north.pk, department.rep_north_2.pk)] == D("20000.00")
    assert march[(3, department.north.pk, None)] == D("50000.00")
    assert_every_level_adds_up(split_plan)


def test_a_rep_split_that_is_off_says_which_month_and_by_how_much(department, split_plan):
    before = cells(split_plan)
    with pytest.raises(ValidationError) as error:
        allocation_rep_split_set(
            actor=department.lead_north,
            plan=split_plan,
            team=department.north,
            amounts={
                (3, department.rep_north.pk): "30000.00",
                (4, department.rep_north.pk): "20000.00",
            },
        )
    assert error.value.message_dict == {
        "amounts": [
            "March: the reps add up to 55,000.00 but the team's month total is 50,000.00 (5,000.00 over).",
            "April: the reps add up to 45,000.00 but the team's month total is 50,000.00 (5,000.00 short).",
        ]
    }
    assert cells(split_plan) == before


def test_a_rep_split_refuses_people_outside_the_team(department, split_plan):
    before = cells(split_plan)
    with pytest.raises(ValidationError) as error:
        allocation_rep_split_set(
            actor=department.head,
            plan=split_plan,
            team=department.north,
            amounts={(3, department.rep_south.pk): "0.00"},
        )
    assert error.value.message_dict == {"amounts": [f"Rep {department.rep_south.pk} is not in North."]}
    assert cells(split_plan) == before


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("lead_south", Http404),
        ("lead_without_team", Http404),
        ("rep_north", PermissionDenied),
        ("assistant_north", PermissionDenied),
        ("analyst", PermissionDenied),
    ],
)
def test_who_may_not_adjust_north(department, split_plan, role, error):
    before = cells(split_plan)
    with pytest.raises(error):
        allocation_rep_split_set(
            actor=getattr(department, role),
            plan=split_plan,
            team=department.north,
            amounts={(3, department.rep_north.pk): "50000.00", (3, department.rep_north_2.pk): "0.00"},
        )
    assert cells(split_plan) == before


def test_head_moves_plan_between_months_and_teams(department, split_plan):
    allocation_department_split_set(
        actor=department.head,
        plan=split_plan,
        months={1: "90000.00", 2: "110000.00"},
        team_months={
            (1, department.north.pk): "40000.00",
            (1, department.south.pk): "50000.00",
            (2, department.north.pk): "60000.00",
            (2, department.south.pk): "50000.00",
        },
    )
    assert month_amounts(split_plan)[:3] == [D("90000.00"), D("110000.00"), D("100000.00")]
    # the changed team-months were re-split between the reps in their current proportions
    assert cells(split_plan, month=1, rep=department.rep_north)[
        (1, department.north.pk, department.rep_north.pk)
    ] == D("20000.00")
    assert cells(split_plan, month=2, rep=department.rep_north_2)[
        (2, department.north.pk, department.rep_north_2.pk)
    ] == D("30000.00")
    assert_every_level_adds_up(split_plan)


def test_head_split_that_is_off_names_the_total_and_the_difference(department, split_plan):
    before = cells(split_plan)
    with pytest.raises(ValidationError) as error:
        allocation_department_split_set(
            actor=department.head,
            plan=split_plan,
            months={1: "90000.00"},
            team_months={(2, department.north.pk): "49999.99"},
        )
    assert error.value.message_dict == {
        "months": ["The months add up to 1,190,000.00 but the plan is 1,200,000.00 (10,000.00 short)."],
        "team_months": [
            "January: the teams add up to 100,000.00 but the month total is 90,000.00 (10,000.00 over).",
            "February: the teams add up to 99,999.99 but the month total is 100,000.00 (0.01 short).",
        ],
    }
    assert cells(split_plan) == before


def test_a_lead_may_not_change_the_department_split(department, split_plan):
    before = cells(split_plan)
    with pytest.raises(PermissionDenied):
        allocation_department_split_set(actor=department.lead_north, plan=split_plan, months={1: "1.00"})
    assert cells(split_plan) == before


def test_the_split_page_in_russian_shows_its_amounts_and_saves_them_unchanged(department, split_plan):
    """Number boxes take a decimal point whatever the language: written as "100000,00" in
    Russian, every amount showed blank and saving the page unchanged said "required" 48 times."""
    from django.test import Client as Browser

    from tests.pages import posted_form

    browser = Browser()
    browser.force_login(department.head)
    browser.cookies["django_language"] = "ru"
    url = f"/targets/plans/{split_plan.pk}/split/"
    page = browser.get(url).content.decode()
    assert 'name="month-3" value="100000.00"' in page and 'value="100000,00"' not in page
    assert browser.post(url, posted_form(page, "split-form")).status_code == 302
