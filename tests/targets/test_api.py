"""/api/v1/ plans, allocations, norms, installments, schedules, payments, overdue reasons,
receivables aging and plan vs actual."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from targets.models import ActivityNorm, Allocation, Installment, OverdueReason, Payment, Plan
from targets.services import plan_decompose
from tests.factories import OverdueReasonFactory, PaymentFactory, UserFactory

D = Decimal


# --------------------------------------------------------------------------- plans


def test_head_creates_and_decomposes_a_plan(department, api_as):
    client = api_as(department.head)
    response = client.post("/api/v1/plans/", {"year": 2032, "metric": "booked", "amount": "12000000.00"})
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    assert response.json()["amount"] == "12000000.00"
    response = client.post(
        f"/api/v1/plans/{plan_id}/decompose/",
        {
            "month_method": "last_year",
            "team_method": "weights",
            "team_weights": {str(department.north.pk): "1", str(department.south.pk): "2"},
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["month_method"] == "even_fallback"
    assert body["warnings"] == [
        "2031 has no booked revenue (won deals by close date) to take shares from, "
        "so the months were split evenly."
    ]
    assert body["months"] == ["1000000.00"] * 12
    assert body["plan"]["team_method"] == "weights"
    north = Allocation.objects.get(plan_id=plan_id, month=1, team=department.north, rep__isnull=True)
    assert north.amount == D("333333.33")


def test_a_second_plan_for_the_same_year_is_a_400(department, api_as, plan):
    response = api_as(department.head).post(
        "/api/v1/plans/", {"year": plan.year, "metric": "booked", "amount": "1.00"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "year": [f"There is already a Booked revenue (won deals by close date) plan for {plan.year}."]
    }
    assert Plan.objects.count() == 1


def test_bad_decomposition_is_a_400_and_changes_nothing(department, api_as, plan):
    response = api_as(department.head).post(
        f"/api/v1/plans/{plan.pk}/decompose/", {"month_method": "weights", "month_weights": [1, 2, 3]}
    )
    assert response.status_code == 400
    assert response.json() == {"month_weights": ["Give 12 weights; 3 were given."]}
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "lead_north", "rep_north", "assistant_north"])
def test_only_the_head_writes_plans(department, api_as, plan, role):
    client = api_as(getattr(department, role))
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    assert (
        client.post("/api/v1/plans/", {"year": 2040, "metric": "booked", "amount": "1.00"}).status_code == 403
    )
    assert client.patch(f"/api/v1/plans/{plan.pk}/", {"amount": "1.00"}).status_code == 403
    assert client.post(f"/api/v1/plans/{plan.pk}/decompose/", {"month_method": "even"}).status_code == 403
    assert client.delete(f"/api/v1/plans/{plan.pk}/").status_code == 403
    plan.refresh_from_db()
    assert plan.amount == D("1200000.00")
    assert Plan.objects.count() == 1
    assert not Allocation.objects.exists()


def test_head_changes_and_deletes_a_plan(department, api_as, plan):
    client = api_as(department.head)
    response = client.patch(f"/api/v1/plans/{plan.pk}/", {"amount": "1300000.00", "note": "Raised"})
    assert response.status_code == 200
    assert (response.json()["amount"], response.json()["note"]) == ("1300000.00", "Raised")
    assert client.delete(f"/api/v1/plans/{plan.pk}/").status_code == 204
    assert not Plan.objects.exists()


def test_lead_moves_plan_between_reps_over_the_api(department, api_as, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    client = api_as(department.lead_north)
    cells = [
        {"month": 2, "rep": department.rep_north.pk, "amount": "40000.00"},
        {"month": 2, "rep": department.rep_north_2.pk, "amount": "10000.00"},
    ]
    response = client.post(
        f"/api/v1/plans/{plan.pk}/rep-split/", {"team": department.north.pk, "amounts": cells}
    )
    assert response.status_code == 204
    assert Allocation.objects.get(plan=plan, month=2, rep=department.rep_north).amount == D("40000.00")
    cells[0]["amount"] = "40000.01"
    response = client.post(
        f"/api/v1/plans/{plan.pk}/rep-split/", {"team": department.north.pk, "amounts": cells}
    )
    assert response.status_code == 400
    assert response.json() == {
        "amounts": [
            "February: the reps add up to 50,000.01 but the team's month total is 50,000.00 (0.01 over)."
        ]
    }
    response = client.post(
        f"/api/v1/plans/{plan.pk}/rep-split/", {"team": department.south.pk, "amounts": cells}
    )
    assert response.status_code == 404
    assert Allocation.objects.get(plan=plan, month=2, rep=department.rep_north).amount == D("40000.00")


def test_head_moves_plan_between_months_over_the_api(department, api_as, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    response = api_as(department.head).post(
        f"/api/v1/plans/{plan.pk}/department-split/",
        {
            "months": [{"month": 1, "amount": "150000.00"}, {"month": 2, "amount": "50000.00"}],
            "team_months": [
                {"month": 1, "team": department.north.pk, "amount": "100000.00"},
                {"month": 2, "team": department.north.pk, "amount": "0.00"},
            ],
        },
    )
    assert response.status_code == 204
    assert Allocation.objects.get(plan=plan, month=2, rep=department.rep_north).amount == D("0.00")


# --------------------------------------------------------------------------- allocations


@pytest.fixture
def split_plan(department, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    return plan


@pytest.mark.parametrize(
    ("role", "count"),
    [
        ("head", 12 + 24 + 48),
        ("analyst", 12 + 24 + 48),
        ("lead_north", 12 + 24),  # North's team-months and its two reps' months
        ("assistant_north", 12 + 24),
        ("rep_north", 12),
        ("sdr_north", 0),
        ("lead_without_team", 0),
    ],
)
def test_allocations_follow_visibility(department, api_as, split_plan, role, count):
    response = api_as(getattr(department, role)).get("/api/v1/allocations/", {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_allocation_filters(department, api_as, split_plan):
    client = api_as(department.head)
    body = client.get("/api/v1/allocations/", {"level": "month", "month": 3}).json()
    assert [(row["level"], row["month"], row["amount"]) for row in body["results"]] == [
        ("month", 3, "100000.00")
    ]
    body = client.get("/api/v1/allocations/", {"rep": department.rep_south.pk, "month": 1}).json()
    assert [(row["rep_name"], row["team_name"], row["amount"]) for row in body["results"]] == [
        (department.rep_south.full_name, "South", "25000.00")
    ]
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/allocations/", {"updated_since": future}).json()["count"] == 0


def test_allocations_are_read_only(department, api_as, split_plan):
    cell = Allocation.objects.filter(plan=split_plan).first()
    response = api_as(department.head).patch(f"/api/v1/allocations/{cell.pk}/", {"amount": "1.00"})
    assert response.status_code == 405


# --------------------------------------------------------------------------- norms


def test_norms_over_the_api(department, api_as):
    head = api_as(department.head)
    response = head.post("/api/v1/norms/", {"role": "rep", "calls_per_day": 30, "meetings_per_week": 8})
    assert response.status_code == 201, response.json()
    lead = api_as(department.lead_north)
    response = lead.post(
        "/api/v1/norms/", {"user": department.rep_north.pk, "calls_per_day": 40, "meetings_per_week": 10}
    )
    assert response.status_code == 201, response.json()
    personal_id = response.json()["id"]
    assert lead.post("/api/v1/norms/", {"role": "rep", "calls_per_day": 1}).status_code == 403
    response = lead.post("/api/v1/norms/", {"user": department.rep_south.pk, "calls_per_day": 1})
    assert response.status_code == 400  # a person the lead cannot see reads as a missing id
    assert lead.patch(f"/api/v1/norms/{personal_id}/", {"calls_per_day": 45}).json()["calls_per_day"] == 45
    effective = {row["id"]: row for row in lead.get("/api/v1/norms/effective/").json()["results"]}
    assert (
        effective[department.rep_north.pk]["calls_per_day"],
        effective[department.rep_north.pk]["has_personal_norm"],
    ) == (45, True)
    assert effective[department.rep_north_2.pk]["calls_per_day"] == 30
    assert api_as(department.analyst).delete(f"/api/v1/norms/{personal_id}/").status_code == 403
    assert ActivityNorm.objects.count() == 2


# --------------------------------------------------------------------------- receivables


@pytest.fixture
def won(department, won_deal):
    return won_deal(department.rep_north, "1000.00")


def test_assistant_generates_a_schedule_and_records_a_partial_payment(department, api_as, won, today):
    client = api_as(department.assistant_north)
    response = client.post(
        f"/api/v1/deals/{won.pk}/schedule/",
        {
            "installments": 3,
            "first_due": (today - datetime.timedelta(days=31)).isoformat(),
            "interval_months": 1,
        },
    )
    assert response.status_code == 201, response.json()
    lines = response.json()
    assert [line["amount"] for line in lines] == ["333.33", "333.33", "333.34"]
    assert [line["outstanding"] for line in lines] == ["333.33", "333.33", "333.34"]
    first = lines[0]
    assert (first["is_overdue"], first["bucket"], first["days_overdue"]) == (True, "31-60", 31)
    response = client.post(
        "/api/v1/payments/", {"installment": first["id"], "amount": "100.00", "paid_on": today.isoformat()}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["recorded_by"] == department.assistant_north.pk
    line = client.get(f"/api/v1/installments/{first['id']}/").json()
    assert (line["paid"], line["outstanding"]) == ("100.00", "233.33")
    aging = client.get("/api/v1/receivables/aging/").json()
    assert aging["totals"]["outstanding_total"] == "900.00"
    assert aging["totals"]["days_31_60"] == "233.33"
    assert [(row["key"], row["outstanding_total"]) for row in aging["results"]] == [
        (department.rep_north.pk, "900.00")
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "The amount cannot be negative."),
        (
            "500.00",
            "The payment of 500.00\xa0₽ is more than the 333.33\xa0₽ outstanding; "
            "record it as an overpayment if the client really paid that much.",
        ),
    ],
)
def test_bad_payments_are_a_400_and_change_nothing(
    department, api_as, won, installment_of, today, amount, message
):
    line = installment_of(won, "333.33")
    response = api_as(department.rep_north).post(
        "/api/v1/payments/", {"installment": line.pk, "amount": amount, "paid_on": today.isoformat()}
    )
    assert response.status_code == 400
    assert response.json() == {"amount": [message]}
    assert not Payment.objects.exists()


def test_an_overpayment_when_asked_for(department, api_as, won, installment_of, today):
    line = installment_of(won, "333.33")
    response = api_as(department.rep_north).post(
        "/api/v1/payments/",
        {"installment": line.pk, "amount": "500.00", "paid_on": today.isoformat(), "is_overpayment": True},
    )
    assert response.status_code == 201
    assert response.json()["is_overpayment"] is True


@pytest.mark.parametrize(
    ("role", "schedule_status", "payment_status"),
    [
        ("head", 201, 201),
        ("lead_north", 201, 201),
        ("rep_north", 201, 201),
        ("assistant_north", 201, 201),
        ("analyst", 403, 403),
        ("rep_north_2", 404, 400),
        ("lead_south", 404, 400),
        ("assistant_without_team", 404, 400),
    ],
)
def test_receivable_writes_per_role(
    department, api_as, won, installment_of, today, role, schedule_status, payment_status
):
    line = installment_of(won, "100.00")
    client = api_as(getattr(department, role))
    response = client.post(
        "/api/v1/payments/", {"installment": line.pk, "amount": "1.00", "paid_on": today.isoformat()}
    )
    assert response.status_code == payment_status
    response = client.post(
        f"/api/v1/deals/{won.pk}/schedule/", {"installments": 2, "first_due": "2030-01-01"}
    )
    assert response.status_code == schedule_status
    if payment_status == 201:
        # the paid line is kept; the other 900.00 of the deal is spread over two new lines
        assert sorted(Installment.objects.values_list("amount", flat=True)) == [
            D("100.00"),
            D("450.00"),
            D("450.00"),
        ]
    else:
        assert list(Installment.objects.values_list("pk", flat=True)) == [line.pk]
        assert not Payment.objects.exists()


def test_installments_cannot_be_created_directly_and_only_rescheduled(
    department, api_as, won, installment_of
):
    line = installment_of(won, "100.00", datetime.date(2030, 1, 1))
    client = api_as(department.rep_north)
    assert client.post("/api/v1/installments/", {"deal": won.pk, "amount": "5.00"}).status_code == 405
    response = client.patch(f"/api/v1/installments/{line.pk}/", {"due_date": "2030-02-01", "amount": "1.00"})
    assert response.status_code == 200
    assert (response.json()["due_date"], response.json()["amount"]) == ("2030-02-01", "100.00")
    response = api_as(department.analyst).patch(
        f"/api/v1/installments/{line.pk}/", {"due_date": "2030-03-01"}
    )
    assert response.status_code == 403
    assert (
        api_as(department.rep_south).patch(f"/api/v1/installments/{line.pk}/", {"note": "x"}).status_code
        == 404
    )
    line.refresh_from_db()
    assert (line.due_date, line.note) == (datetime.date(2030, 2, 1), "")


def test_installment_list_filters(department, api_as, won, installment_of, today):
    overdue = installment_of(won, "100.00", today - datetime.timedelta(days=61))
    installment_of(won, "100.00", today + datetime.timedelta(days=5))
    client = api_as(department.head)
    assert [
        row["id"] for row in client.get("/api/v1/installments/", {"overdue": "true"}).json()["results"]
    ] == [overdue.pk]
    assert [
        row["id"] for row in client.get("/api/v1/installments/", {"bucket": "61-90"}).json()["results"]
    ] == [overdue.pk]
    assert client.get("/api/v1/installments/", {"client": won.client_id}).json()["count"] == 2
    assert api_as(department.rep_south).get("/api/v1/installments/").json()["count"] == 0


def test_overdue_reasons_over_the_api(department, api_as, won, installment_of, today):
    line = installment_of(won, "100.00", today - datetime.timedelta(days=3))
    client = api_as(department.assistant_north)
    promised = (today + datetime.timedelta(days=7)).isoformat()
    response = client.post(
        "/api/v1/overdue-reasons/",
        {"installment": line.pk, "reason": "Budget freeze", "promised_date": promised},
    )
    assert response.status_code == 201, response.json()
    assert client.get(f"/api/v1/installments/{line.pk}/").json()["latest_reason"] == "Budget freeze"
    response = client.post("/api/v1/overdue-reasons/", {"installment": line.pk, "reason": " "})
    assert response.status_code == 400
    response = api_as(department.analyst).post(
        "/api/v1/overdue-reasons/", {"installment": line.pk, "reason": "x"}
    )
    assert response.status_code == 403
    assert OverdueReason.objects.count() == 1
    assert api_as(department.rep_south).get("/api/v1/overdue-reasons/").json()["count"] == 0


def test_aging_groups_and_filters(department, api_as, won_deal, installment_of, today):
    north = won_deal(department.rep_north, "300.00")
    installment_of(north, "300.00", today - datetime.timedelta(days=91))
    south = won_deal(department.rep_south, "50.00")
    installment_of(south, "50.00", today)
    client = api_as(department.head)
    by_team = client.get("/api/v1/receivables/aging/", {"group": "team"}).json()
    assert [(row["name"], row["days_90_plus"], row["current"]) for row in by_team["results"]] == [
        ("North", "300.00", "0.00"),
        ("South", "0.00", "50.00"),
    ]
    by_client = client.get(
        "/api/v1/receivables/aging/", {"group": "client", "team": department.south.pk}
    ).json()
    assert [(row["key"], row["name"]) for row in by_client["results"]] == [
        (south.client_id, south.client.name)
    ]
    assert by_client["totals"]["outstanding_total"] == "50.00"
    assert client.get("/api/v1/receivables/aging/", {"group": "planet"}).status_code == 400
    lead = api_as(department.lead_south).get("/api/v1/receivables/aging/").json()
    assert lead["totals"]["outstanding_total"] == "50.00"


def test_plan_vs_actual_endpoint(department, api_as, split_plan, won_deal):
    won_deal(department.rep_north, "1234.56", datetime.date(split_plan.year, 2, 10))
    body = api_as(department.head).get("/api/v1/plan-vs-actual/", {"year": split_plan.year}).json()
    assert body["scope"] == "department"
    (line,) = body["lines"]
    assert line["months"][1] == {
        "month": 2,
        "plan": "100000.00",
        "plan_collected": "0.00",
        "booked": "1234.56",
        "collected": "0.00",
        "forecast": "0.00",
        "gap": "98765.44",
        "percent": "1.2",
    }
    rep_body = api_as(department.rep_north).get("/api/v1/plan-vs-actual/", {"year": split_plan.year}).json()
    assert rep_body["scope"] == "rep"
    assert [(line["key"], line["year"]["booked"]) for line in rep_body["lines"]] == [
        (department.rep_north.pk, "1234.56")
    ]
    lead = api_as(department.lead_north)
    response = lead.get("/api/v1/plan-vs-actual/", {"year": split_plan.year, "scope": "department"})
    assert response.status_code == 400
    assert response.json() == {"scope": ["Your figures are those of team, rep."]}
    assert (
        lead.get("/api/v1/plan-vs-actual/", {"scope": "team", "team": department.south.pk}).status_code == 404
    )
    assert lead.get("/api/v1/plan-vs-actual/", {"year": "soon"}).status_code == 400


# --------------------------------------------------------------------------- query counts


def _many_receivables(department, won_deal, installment_of, today, count):
    for index in range(count):
        deal = won_deal(department.rep_north if index % 2 else department.rep_south, "100.00")
        line = installment_of(deal, "100.00", today - datetime.timedelta(days=index * 7))
        PaymentFactory(installment=line, amount=D("10.00"))
        OverdueReasonFactory(installment=line)


@pytest.mark.parametrize(
    ("url", "queries", "small", "grown"),
    [
        # token, count, page; rows as (count, results shown), before and after the data grow
        ("/api/v1/installments/", 3, (2, 2), (14, 14)),
        ("/api/v1/payments/", 3, (2, 2), (14, 14)),
        ("/api/v1/overdue-reasons/", 3, (2, 2), (14, 14)),
        ("/api/v1/plans/", 3, (1, 1), (2, 2)),
        ("/api/v1/allocations/", 3, (84, 84), (96, 96)),
        ("/api/v1/norms/", 3, (1, 1), (2, 2)),
        ("/api/v1/norms/effective/", 3, (13, 13), (14, 14)),
        # token, the receivables' data version, the grouped rows (page, count and totals from
        # the same rows; kept until the data changes, and it changed in between)
        ("/api/v1/receivables/aging/?group=client", 3, (2, 2), (14, 14)),
        # token, allocations, booked, collected, forecast, line names (a line per person, no count)
        ("/api/v1/plan-vs-actual/?scope=rep", 6, (None, 4), (None, 5)),
    ],
)
def test_api_lists_run_a_constant_number_of_queries(
    department,
    api_as,
    split_plan,
    won_deal,
    installment_of,
    today,
    django_assert_num_queries,
    url,
    queries,
    small,
    grown,
):
    client = api_as(department.head)

    def measured(rows) -> None:
        """200 in the same queries, and the rows that are there: (count, results on the page)."""
        with django_assert_num_queries(queries):
            response = client.get(url, {"page_size": 100} if "?" not in url else None)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body.get("count"), len(body["results"] if "results" in body else body["lines"])) == rows

    _many_receivables(department, won_deal, installment_of, today, 2)
    ActivityNorm.objects.create(role=Role.REP, calls_per_day=1)
    measured(small)
    _many_receivables(department, won_deal, installment_of, today, 12)
    ActivityNorm.objects.create(user=department.rep_north, calls_per_day=2)
    Plan.objects.create(year=2040, amount=D("1.00"), created_by=department.head)
    UserFactory(role=Role.REP, team=department.north)  # one more line of people, norms and allocations
    plan_decompose(actor=department.head, plan=split_plan, month_method="even")
    measured(grown)


def test_every_list_endpoint_takes_updated_since(
    department, api_as, split_plan, won_deal, installment_of, today
):
    _many_receivables(department, won_deal, installment_of, today, 1)
    ActivityNorm.objects.create(role=Role.REP, calls_per_day=1)
    client = api_as(department.head)
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    for url in ["plans", "allocations", "norms", "installments", "payments", "overdue-reasons"]:
        assert client.get(f"/api/v1/{url}/", {"updated_since": past}).json()["count"] > 0, url
        assert client.get(f"/api/v1/{url}/", {"updated_since": future}).json()["count"] == 0, url


def test_anonymous_requests_are_refused(api_client):
    for url in [
        "plans",
        "allocations",
        "norms",
        "installments",
        "payments",
        "overdue-reasons",
        "receivables/aging",
    ]:
        assert api_client.get(f"/api/v1/{url}/").status_code == 401


def test_aging_groups_the_installments_once_whatever_their_number(
    department, api_as, won_deal, installment_of, today, django_assert_num_queries
):
    """The page, its count and the totals come from one grouped aggregate (it used to run
    three times: the paginator's COUNT, the page and the totals)."""
    client = api_as(department.head)
    north = won_deal(department.rep_north, "300.00")
    installment_of(north, "300.00", today - datetime.timedelta(days=91))

    def aging(expected_rows: int, total: str, queries: int = 3):
        # token (with its user), the receivables' data version, the grouped aggregate (none
        # when the data did not change since the last call)
        with django_assert_num_queries(queries):
            response = client.get("/api/v1/receivables/aging/")
        assert response.status_code == 200
        body = response.json()
        assert (body["count"], len(body["results"]), body["totals"]["outstanding_total"]) == (
            expected_rows,
            expected_rows,
            total,
        )

    aging(1, "300.00")
    aging(1, "300.00", queries=2)
    for person in (department.rep_north_2, department.rep_south, department.lead_north):
        deal = won_deal(person, "100.00")
        for days in (0, 40, 95):
            installment_of(deal, "10.00", today - datetime.timedelta(days=days))
    aging(4, "390.00")
