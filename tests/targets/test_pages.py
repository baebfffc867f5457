"""The plans and receivables pages and the fragments other pages load."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from targets.models import ActivityNorm, Allocation, Installment, OverdueReason, Payment, Plan
from targets.services import plan_decompose
from tests.factories import DealFactory, OverdueReasonFactory, PaymentFactory, stage

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}


def page_of(client, url, params=None, status=200, **headers):
    response = client.get(url, params or {}, **headers)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


@pytest.fixture
def split_plan(department, plan):
    plan_decompose(actor=department.head, plan=plan, month_method="even")
    return plan  # months 100,000.00; teams 50,000.00; reps 25,000.00


# --------------------------------------------------------------------------- plan grid


def test_grid_for_the_head(client, department, split_plan):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:plan_grid"), {"year": split_plan.year})
    assert 'data-testid="department-total">1,200,000.00\xa0₽<' in html
    assert html.count('data-testid="team-total">600,000.00\xa0₽<') == 2
    assert department.rep_north.full_name in html
    assert department.account_manager_south.full_name in html
    assert department.sdr_north.full_name not in html  # SDRs carry no revenue quota
    assert html.count("Adjust reps") == 2
    assert "Split again" in html
    assert "unallocated-warning" not in html


def test_grid_for_a_lead_shows_their_team_and_lets_them_adjust(client, department, split_plan):
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:plan_grid"), {"year": split_plan.year})
    assert "department-row" not in html
    assert department.rep_north.full_name in html
    assert department.rep_south.full_name not in html
    assert html.count("Adjust reps") == 1
    assert "Split again" not in html


def test_grid_for_a_rep_shows_their_own_line(client, department, split_plan):
    client.force_login(department.rep_north)
    html = page_of(client, reverse("targets:plan_grid"), {"year": split_plan.year})
    assert department.rep_north.full_name in html
    assert department.rep_north_2.full_name not in html
    assert "300,000.00" in html
    assert "Adjust reps" not in html


def test_grid_shows_what_is_unallocated(client, department, split_plan):
    Allocation.objects.filter(plan=split_plan, month=1, rep=department.rep_north).update(amount=D("5000.00"))
    client.force_login(department.head)
    html = page_of(client, reverse("targets:plan_grid"), {"year": split_plan.year})
    assert 'data-testid="unallocated-warning"' in html
    assert "20,000.00" in html  # North's January: 50,000.00 − 25,000.00 − 5,000.00


def test_without_a_plan_the_head_gets_a_form_and_others_an_empty_state(client, department):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:plan_grid"), {"year": 2035})
    assert "There is no plan for 2035 yet." in html
    assert 'action="/targets/plans/new/"' in html
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:plan_grid"), {"year": 2035})
    assert "There is no plan for 2035 yet." in html
    assert 'action="/targets/plans/new/"' not in html


def test_head_creates_and_splits_a_plan_through_the_pages(client, department):
    client.force_login(department.head)
    response = client.post(
        reverse("targets:plan_create"), {"year": 2035, "metric": "booked", "amount": "12000000.00"}
    )
    plan = Plan.objects.get(year=2035)
    assert response.status_code == 302
    assert response.url == reverse("targets:plan_decompose", args=[plan.pk])
    html = page_of(client, response.url)
    assert f'name="rep_{department.rep_north.pk}"' in html
    response = client.post(
        response.url,
        {
            "month_method": "last_year",
            "team_method": "even",
            "rep_method": "even",
            **{f"month_{m}": "1" for m in range(1, 13)},
        },
    )
    assert response.status_code == 302
    html = page_of(client, response.url)
    assert "2034 has no booked revenue" in html  # the fallback says so
    assert 'data-testid="department-total">12,000,000.00\xa0₽<' in html
    assert Allocation.objects.filter(plan=plan, rep__isnull=False).count() == 48


def test_plan_form_errors_write_nothing(client, department, plan):
    client.force_login(department.head)
    response = client.post(
        reverse("targets:plan_create"), {"year": plan.year, "metric": "booked", "amount": "1.00"}
    )
    assert response.status_code == 400
    assert "There is already a Booked revenue (won deals by close date) plan for" in response.content.decode()
    response = client.post(reverse("targets:plan_create"), {"year": 2036, "metric": "booked", "amount": "-1"})
    assert response.status_code == 400
    assert Plan.objects.count() == 1


def test_bad_weights_show_on_the_decompose_form(client, department, plan):
    client.force_login(department.head)
    response = client.post(
        reverse("targets:plan_decompose", args=[plan.pk]),
        {
            "month_method": "weights",
            "team_method": "even",
            "rep_method": "even",
            **{f"month_{m}": "0" for m in range(1, 13)},
        },
    )
    assert response.status_code == 400
    assert "The weights add up to zero; give at least one a positive weight." in response.content.decode()
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("role", ["lead_north", "analyst", "rep_north"])
def test_only_the_head_reaches_the_plan_forms(client, department, plan, role):
    client.force_login(getattr(department, role))
    for name in ("plan_decompose", "plan_edit", "plan_delete", "plan_split_edit"):
        assert client.get(reverse(f"targets:{name}", args=[plan.pk])).status_code == 403
    assert client.post(reverse("targets:plan_delete", args=[plan.pk])).status_code == 403
    assert (
        client.post(
            reverse("targets:plan_create"), {"year": 2036, "metric": "booked", "amount": "1"}
        ).status_code
        == 403
    )
    assert Plan.objects.count() == 1


def test_head_deletes_a_plan_after_confirming(client, department, split_plan):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:plan_delete", args=[split_plan.pk]))
    assert "This cannot be undone." in html
    assert client.post(reverse("targets:plan_delete", args=[split_plan.pk])).status_code == 302
    assert not Plan.objects.exists()
    assert not Allocation.objects.exists()


def _team_cells(plan, team):
    return {
        (a.month, a.rep_id): a.amount
        for a in Allocation.objects.filter(plan=plan, team=team, rep__isnull=False)
    }


def test_lead_edits_their_team_split_in_place(client, department, split_plan):
    client.force_login(department.lead_north)
    url = reverse("targets:plan_team_edit", args=[split_plan.pk, department.north.pk])
    html = page_of(client, url, **HTMX)
    assert html.startswith('\n<tbody id="grid-team-') or '<tbody id="grid-team-' in html[:80]
    assert f'name="cell-{department.rep_north.pk}-1"' in html
    data = {
        f"cell-{rep.pk}-{month}": "25000.00"
        for rep in (department.rep_north, department.rep_north_2)
        for month in range(1, 13)
    }
    data[f"cell-{department.rep_north.pk}-5"] = "30000.00"
    data[f"cell-{department.rep_north_2.pk}-5"] = "20000.00"
    response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saved" in html
    assert "30,000.00" in html
    assert _team_cells(split_plan, department.north)[(5, department.rep_north.pk)] == D("30000.00")


def test_an_off_team_split_is_refused_in_place_with_the_difference(client, department, split_plan):
    before = _team_cells(split_plan, department.north)
    client.force_login(department.lead_north)
    url = reverse("targets:plan_team_edit", args=[split_plan.pk, department.north.pk])
    data = {
        f"cell-{rep.pk}-{month}": "25000.00"
        for rep in (department.rep_north, department.rep_north_2)
        for month in range(1, 13)
    }
    data[f"cell-{department.rep_north.pk}-7"] = "24000.00"
    html = client.post(url, data, **HTMX).content.decode()
    assert (
        "July: the reps add up to 49,000.00 but the team&#x27;s month total is 50,000.00 (1,000.00 short)."
        in html
    )
    assert 'name="cell-' in html  # still the form
    assert _team_cells(split_plan, department.north) == before


@pytest.mark.parametrize(
    ("role", "status"), [("lead_south", 404), ("rep_north", 403), ("assistant_north", 403), ("analyst", 403)]
)
def test_who_may_not_edit_north_in_place(client, department, split_plan, role, status):
    before = _team_cells(split_plan, department.north)
    client.force_login(getattr(department, role))
    url = reverse("targets:plan_team_edit", args=[split_plan.pk, department.north.pk])
    assert client.get(url, **HTMX).status_code == status
    assert client.post(url, {f"cell-{department.rep_north.pk}-1": "0"}, **HTMX).status_code == status
    assert _team_cells(split_plan, department.north) == before


def test_head_adjusts_months_and_teams(client, department, split_plan):
    client.force_login(department.head)
    url = reverse("targets:plan_split_edit", args=[split_plan.pk])
    data = {f"month-{m}": "100000.00" for m in range(1, 13)}
    data |= {
        f"team-{team.pk}-{m}": "50000.00"
        for team in (department.north, department.south)
        for m in range(1, 13)
    }
    data["month-1"] = "99000.00"
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        "The months add up to 1,199,000.00 but the plan is 1,200,000.00 (1,000.00 short)."
        in response.content.decode()
    )
    data["month-2"] = "101000.00"
    data[f"team-{department.north.pk}-1"] = "49000.00"
    data[f"team-{department.north.pk}-2"] = "51000.00"
    assert client.post(url, data).status_code == 302
    assert Allocation.objects.get(plan=split_plan, month=1, rep=department.rep_north).amount == D("24500.00")


# --------------------------------------------------------------------------- plan vs actual


@pytest.fixture
def booked(department, split_plan, won_deal):
    won_deal(department.rep_north, "7000.00", datetime.date(split_plan.year, 1, 15))
    won_deal(department.rep_south, "3456.78", datetime.date(split_plan.year, 1, 20))
    return split_plan


def test_plan_vs_actual_for_the_head(client, department, booked):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:plan_vs_actual"), {"year": booked.year})
    assert 'data-testid="scope-label">Department<' in html
    assert "<svg" in html and "<rect" in html and "<polyline" in html
    assert "Jan · Booked: 10,456.78" in html
    assert "By team" in html
    assert f'?year={booked.year}&amp;team={department.north.pk}"' in html


def test_plan_vs_actual_for_a_team_and_for_a_rep(client, department, booked):
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:plan_vs_actual"), {"year": booked.year})
    assert 'data-testid="scope-label">North<' in html
    assert "By rep" in html
    assert department.rep_south.full_name not in html
    assert client.get(reverse("targets:plan_vs_actual"), {"team": department.south.pk}).status_code == 404
    client.force_login(department.rep_north)
    html = page_of(client, reverse("targets:plan_vs_actual"), {"year": booked.year})
    assert f'data-testid="scope-label">{department.rep_north.full_name}<' in html
    assert department.rep_north_2.full_name not in html
    assert "7,000.00" in html
    assert "3,456.78" not in html


# --------------------------------------------------------------------------- norms


def test_norms_page_and_forms(client, department):
    client.force_login(department.head)
    response = client.post(
        reverse("targets:norms"),
        {"role-role": "rep", "role-calls_per_day": "30", "role-meetings_per_week": "8"},
    )
    assert response.status_code == 302
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:norms"))
    assert "Set a role&#x27;s norm" not in html
    response = client.post(
        reverse("targets:norms"),
        {
            "person-person": department.rep_north.pk,
            "person-calls_per_day": "40",
            "person-meetings_per_week": "9",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("targets:norms"),
        {
            "person-person": department.rep_south.pk,
            "person-calls_per_day": "1",
            "person-meetings_per_week": "1",
        },
    )
    assert response.status_code == 400
    assert ActivityNorm.objects.filter(user=department.rep_south).count() == 0
    client.force_login(department.rep_north)
    html = page_of(client, reverse("targets:norms"))
    assert "personal" in html and ">40<" in html
    assert 'name="person-person"' not in html


# --------------------------------------------------------------------------- receivables


@pytest.fixture
def ledger(department, won_deal, installment_of, today):
    north = won_deal(department.rep_north, "1000.00", title="North deal", client__name="Northwind")
    north_line = installment_of(north, "400.00", today - datetime.timedelta(days=45), paid="100.00")
    installment_of(north, "600.00", today + datetime.timedelta(days=10))
    south = won_deal(department.rep_south, "500.00", title="South deal", client__name="Southwind")
    south_line = installment_of(south, "500.00", today - datetime.timedelta(days=95))
    OverdueReasonFactory(installment=south_line, reason="Board approval pending")
    return {"north": north, "north_line": north_line, "south": south, "south_line": south_line}


def test_receivables_overview(client, department, ledger):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:receivables"))
    assert 'data-testid="total-outstanding">1,400.00\xa0₽<' in html
    assert 'data-testid="total-overdue">800.00\xa0₽<' in html
    assert 'data-testid="total-days_31_60">300.00\xa0₽<' in html
    assert 'data-testid="total-days_90_plus">500.00\xa0₽<' in html
    assert "Northwind" in html and "Southwind" in html
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:receivables"))
    assert 'data-testid="total-outstanding">900.00\xa0₽<' in html
    assert "Southwind" not in html


def test_receivables_empty_state(client, department):
    client.force_login(department.rep_north)
    assert "Nothing is owed." in page_of(client, reverse("targets:receivables"))


def test_overdue_list_filters_and_sorts(client, department, ledger):
    client.force_login(department.head)
    html = page_of(client, reverse("targets:overdue"))
    assert html.index("Southwind") < html.index("Northwind")  # most days overdue first
    assert "Board approval pending" in html
    assert ">95<" in html and ">45<" in html
    html = page_of(client, reverse("targets:overdue"), {"team": department.north.pk})
    assert "Northwind" in html and "Southwind" not in html
    html = page_of(client, reverse("targets:overdue"), {"reason": "none"})
    assert "Northwind" in html and "Southwind" not in html
    html = page_of(client, reverse("targets:overdue"), {"bucket": "90+"})
    assert "Southwind" in html and "Northwind" not in html
    html = page_of(client, reverse("targets:overdue"), {"ordering": "days"})
    assert html.index("Northwind") < html.index("Southwind")
    html = page_of(client, reverse("targets:overdue"), {"q": "south"}, **HTMX)
    assert "<html" not in html and "Southwind" in html and "Northwind" not in html
    html = page_of(client, reverse("targets:overdue"), {"team": "not-a-team"})
    assert "No overdue payments match these filters." in html


def test_overdue_list_for_a_rep_and_an_assistant(client, department, ledger):
    client.force_login(department.rep_north)
    html = page_of(client, reverse("targets:overdue"))
    assert "Northwind" in html and "Southwind" not in html
    assert "Record payment" in html
    client.force_login(department.analyst)
    html = page_of(client, reverse("targets:overdue"))
    assert "Northwind" in html and "Southwind" in html
    assert "Record payment" not in html


def test_overdue_export(client, department, ledger, today):
    client.force_login(department.head)
    response = client.get(reverse("targets:overdue"), {"export": "csv", "team": department.south.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "Client",
        "Deal",
        "Owner",
        "Team",
        "Due",
        "Amount (RUB)",
        "Paid (RUB)",
        "Outstanding (RUB)",
        "Days overdue",
        "Latest reason",
        "Promised date",
    ]
    due = today - datetime.timedelta(days=95)
    promised = OverdueReason.objects.get().promised_date
    assert rows[1:] == [
        [
            "Southwind",
            "South deal",
            department.rep_south.full_name,
            "South",
            due.isoformat(),
            "500.00",
            "0.00",
            "500.00",
            "95",
            "Board approval pending",
            promised.isoformat(),
        ]
    ]
    response = client.get(reverse("targets:overdue"), {"export": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Client", "Southwind", "Northwind"]


def test_payment_in_place_in_the_overdue_list(client, department, ledger, today):
    line = ledger["north_line"]
    client.force_login(department.assistant_north)
    url = reverse("targets:payment_new", args=[line.pk])
    html = page_of(client, url, {"context": "overdue"}, **HTMX)
    assert f'<tr id="installment-{line.pk}"' in html and 'value="300.00"' in html
    response = client.post(url, {"amount": "-1", "paid_on": today.isoformat(), "context": "overdue"}, **HTMX)
    assert "The amount cannot be negative." in response.content.decode()
    response = client.post(
        url, {"amount": "301.00", "paid_on": today.isoformat(), "context": "overdue"}, **HTMX
    )
    assert "is more than the 300.00\xa0₽ outstanding" in response.content.decode()
    assert Payment.objects.count() == 1
    response = client.post(
        url, {"amount": "120.00", "paid_on": today.isoformat(), "context": "overdue"}, **HTMX
    )
    html = response.content.decode()
    assert "Payment recorded." in html
    assert 'data-testid="outstanding">180.00\xa0₽<' in html
    assert Payment.objects.count() == 2


def test_reason_in_place(client, department, ledger, today):
    line = ledger["north_line"]
    client.force_login(department.rep_north)
    url = reverse("targets:reason_new", args=[line.pk])
    promised = (today + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {"reason": "Waiting for their CFO", "promised_date": promised}, **HTMX)
    html = response.content.decode()
    assert "Reason recorded." in html and "Waiting for their CFO" in html
    response = client.post(url, {"reason": "", "promised_date": promised}, **HTMX)
    assert "This field is required." in response.content.decode()
    assert OverdueReason.objects.filter(installment=line).count() == 1


@pytest.mark.parametrize(("role", "status"), [("analyst", 403), ("rep_south", 404), ("lead_south", 404)])
def test_who_may_not_record_in_place(client, department, ledger, today, role, status):
    line = ledger["north_line"]
    client.force_login(getattr(department, role))
    for name in ("payment_new", "reason_new"):
        url = reverse(f"targets:{name}", args=[line.pk])
        assert client.get(url, **HTMX).status_code == status
        response = client.post(url, {"amount": "1.00", "paid_on": today.isoformat(), "reason": "x"}, **HTMX)
        assert response.status_code == status
    assert Payment.objects.count() == 1
    assert not OverdueReason.objects.filter(installment=line).exists()


def test_payment_without_htmx_redirects_back(client, department, ledger, today):
    line = ledger["north_line"]
    client.force_login(department.rep_north)
    url = reverse("targets:payment_new", args=[line.pk])
    assert "Record payment" in page_of(client, url, {"next": "/targets/receivables/overdue/"})
    response = client.post(
        url, {"amount": "10.00", "paid_on": today.isoformat(), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("targets:overdue")


# --------------------------------------------------------------------------- fragments


def test_deal_schedule_fragment_generates_and_pays_in_place(client, department, won_deal, today):
    deal = won_deal(department.rep_north, "1000.00")
    client.force_login(department.assistant_north)
    html = page_of(client, reverse("targets:deal_schedule", args=[deal.pk]), **HTMX)
    assert "<html" not in html
    assert "Make a payment schedule" in html
    response = client.post(
        reverse("targets:schedule_generate", args=[deal.pk]),
        {
            "installments": "3",
            "first_due": (today + datetime.timedelta(days=1)).isoformat(),
            "interval_months": "1",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert "Payment schedule saved." in html
    assert html.count('data-testid="schedule-line"') == 3
    assert "333.34" in html
    first = Installment.objects.filter(deal=deal).order_by("due_date").first()
    response = client.post(
        reverse("targets:payment_new", args=[first.pk]),
        {"amount": "100.00", "paid_on": today.isoformat(), "context": "schedule"},
        **HTMX,
    )
    assert response["HX-Retarget"] == f"#deal-schedule-{deal.pk}"
    html = response.content.decode()
    assert 'data-testid="schedule-paid">100.00\xa0₽<' in html
    assert 'data-testid="schedule-outstanding">900.00\xa0₽<' in html


def test_schedule_form_errors_in_place(client, department, won_deal):
    deal = won_deal(department.rep_north, "1000.00")
    client.force_login(department.rep_north)
    response = client.post(
        reverse("targets:schedule_generate", args=[deal.pk]),
        {"installments": "0", "first_due": "", "interval_months": "1"},
        **HTMX,
    )
    html = response.content.decode()
    assert "Ensure this value is greater than or equal to 1." in html
    assert not Installment.objects.exists()


def test_deal_schedule_fragment_visibility(client, department, won_deal, installment_of):
    deal = won_deal(department.rep_north, "1000.00")
    installment_of(deal, "1000.00")
    url = reverse("targets:deal_schedule", args=[deal.pk])
    client.force_login(department.rep_south)
    assert client.get(url, **HTMX).status_code == 404
    assert (
        client.post(reverse("targets:schedule_generate", args=[deal.pk]), {"installments": "1"}).status_code
        == 404
    )
    client.force_login(department.analyst)
    html = page_of(client, url, **HTMX)
    assert "1,000.00" in html and "Record payment" not in html and "schedule-form" not in html
    assert (
        client.post(reverse("targets:schedule_generate", args=[deal.pk]), {"installments": "1"}).status_code
        == 403
    )
    assert Installment.objects.count() == 1


def test_open_deals_get_no_schedule_form(client, department, open_deal):
    deal = open_deal(department.rep_north)
    client.force_login(department.rep_north)
    html = page_of(client, reverse("targets:deal_schedule", args=[deal.pk]), **HTMX)
    assert "A payment schedule is made once the deal is won." in html
    assert "schedule-form" not in html


def test_client_receivables_fragment(client, department, ledger):
    north = ledger["north"]
    client.force_login(department.lead_north)
    html = page_of(client, reverse("targets:client_receivables", args=[north.client_id]), **HTMX)
    assert 'data-testid="client-outstanding">900.00\xa0₽<' in html
    assert 'data-testid="client-overdue">300.00\xa0₽<' in html
    assert html.count("<tr") == 3  # header + two lines owed
    assert (
        client.get(reverse("targets:client_receivables", args=[ledger["south"].client_id])).status_code == 404
    )


# --------------------------------------------------------------------------- query counts


def _grow(department, plan, won_deal, installment_of, today, count):
    """More reps, deals, installments, payments and reasons."""
    from tests.factories import UserFactory

    for index in range(count):
        rep = UserFactory(role=Role.REP, team=department.north if index % 2 else department.south)
        deal = won_deal(rep, "100.00", datetime.date(plan.year, 1 + index % 12, 1))
        line = installment_of(deal, "100.00", today - datetime.timedelta(days=5 + index))
        PaymentFactory(installment=line, amount=D("10.00"))
        OverdueReasonFactory(installment=line)
        DealFactory(
            owner=rep,
            client=deal.client,
            stage=stage("Proposal"),
            expected_close=datetime.date(plan.year, 6, 1),
        )
    plan_decompose(actor=department.head, plan=plan, month_method="even")


@pytest.mark.parametrize(
    ("name", "own_queries", "rows"),
    [
        # rows: the page's table rows (<tr, headers included) at the smaller and the grown size
        # plans, teams adjustable, 3 grid sums, cells, members
        ("targets:plan_grid", 7, (10, 22)),
        # teams; department line: allocations, booked, collected, forecast; teams line: the same + names
        ("targets:plan_vs_actual", 10, (17, 17)),
        # role norms, count, page of people, teams adjustable
        ("targets:norms", 4, (16, 28)),
        # teams, totals, by team, by owner, client count, client page
        ("targets:receivables", 6, (9, 33)),
        # team and owner choices, count, page, writable deals
        ("targets:overdue", 5, (3, 15)),
    ],
)
def test_pages_run_a_constant_number_of_queries(
    client,
    department,
    split_plan,
    won_deal,
    installment_of,
    today,
    django_assert_num_queries,
    name,
    own_queries,
    rows,
):
    """The same number of queries at two data sizes. The number is measured on the smaller
    size (the layout's own queries belong to other apps) and bounded by this page's own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(department.head)
    params = {"year": split_plan.year}
    with CaptureQueriesContext(connection) as layout:
        client.get(reverse("home"))
    _grow(department, split_plan, won_deal, installment_of, today, 2)
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == rows[0]
    assert len(small) <= len(layout) + own_queries
    _grow(department, split_plan, won_deal, installment_of, today, 12)
    with django_assert_num_queries(len(small)):
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response.content.decode().count("<tr") == rows[1]


def test_fragments_run_a_constant_number_of_queries(
    client, department, won_deal, installment_of, today, django_assert_num_queries
):
    deal = won_deal(department.rep_north, "1000.00")
    client.force_login(department.rep_north)
    schedule_url = reverse("targets:deal_schedule", args=[deal.pk])
    client_url = reverse("targets:client_receivables", args=[deal.client_id])

    def add_lines(count):
        for index in range(count):
            line = installment_of(deal, "10.00", today - datetime.timedelta(days=index))
            PaymentFactory(installment=line, amount=D("1.00"))
            OverdueReasonFactory(installment=line)

    def shown(url, marker: str) -> int:
        response = client.get(url, **HTMX)
        assert response.status_code == 200
        return response.content.decode().count(marker)

    add_lines(1)
    # the user, deal, may write, totals, lines, payments, reasons
    with django_assert_num_queries(7):
        assert shown(schedule_url, 'data-testid="schedule-line"') == 1
    # the user, client, lines, totals
    with django_assert_num_queries(4):
        assert shown(client_url, "<tr") == 2  # header + lines owed
    add_lines(15)
    with django_assert_num_queries(7):
        assert shown(schedule_url, 'data-testid="schedule-line"') == 16
    with django_assert_num_queries(4):
        assert shown(client_url, "<tr") == 17


def test_head_edits_the_target_keeping_the_split(client, department, split_plan):
    client.force_login(department.head)
    url = reverse("targets:plan_edit", args=[split_plan.pk])
    refused = client.post(url, {"amount": "-1", "note": ""})
    assert refused.status_code == 400  # the form again with its error, as every refused form
    assert "amount" in refused.context["form"].errors
    split_plan.refresh_from_db()
    assert split_plan.amount == D("1200000.00")
    assert client.post(url, {"amount": "1250000.00", "note": "Raised in June"}).status_code == 302
    html = page_of(client, reverse("targets:plan_grid"), {"year": split_plan.year})
    assert "Raised in June" in html
    assert "Not split into months" in html and "50,000.00" in html
    assert 'data-testid="unallocated-warning"' in html


def test_removing_a_personal_norm_asks_first(client, department):
    norm = ActivityNorm.objects.create(user=department.rep_north, calls_per_day=40)
    client.force_login(department.lead_north)
    url = reverse("targets:norm_delete", args=[norm.pk])
    assert "Remove the norm" in page_of(client, url)
    client.force_login(department.rep_north)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(department.lead_south)
    assert client.get(url).status_code == 404
    assert ActivityNorm.objects.filter(pk=norm.pk).exists()
    client.force_login(department.lead_north)
    assert client.post(url).status_code == 302
    assert not ActivityNorm.objects.exists()
