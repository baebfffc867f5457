"""The issue's "done when", driven through headless Chromium: the head sets and splits next
year's plan; an assistant schedules a won deal's payments and records a partial payment in
place; the aging page and the API agree."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from targets.models import Allocation, Installment, Payment, Plan
from tests.browser.conftest import browser, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    """A transactional test starts from whatever the previous one flushed, so the default
    pipeline (a data migration) is put back the way the migration creates it."""
    from django.apps import apps

    migration = importlib.import_module("deals.migrations.0002_default_stages")
    migration.create_default_stages(apps, None)


def sign_in(page, live_server, user):  # noqa: F811
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_head_sets_and_splits_next_years_plan(live_server, page, department, won_deal):  # noqa: F811
    next_year = timezone.localdate().year + 1
    won_deal(department.rep_north, "3000.00", datetime.date(next_year - 1, 3, 3))
    won_deal(department.rep_south, "1000.00", datetime.date(next_year - 1, 9, 9))
    sign_in(page, live_server, department.head)
    page.goto(f"{live_server.url}/targets/plans/?year={next_year}")
    page.fill("input[name=amount]", "12000000.00")
    page.click("text=Create plan")
    page.wait_for_selector("[data-testid=decompose-form]")
    assert page.is_checked("input[name=month_method][value=last_year]")
    page.click("[data-testid=decompose-submit]")
    page.wait_for_selector("[data-testid=plan-grid]")
    assert page.inner_text("[data-testid=department-total]") == "12,000,000.00"
    plan = Plan.objects.get(year=next_year)
    months = Allocation.objects.filter(plan=plan, team__isnull=True, rep__isnull=True).order_by("month")
    assert [m.amount for m in months if m.amount] == [Decimal("9000000.00"), Decimal("3000000.00")]
    reps = Allocation.objects.filter(plan=plan, rep__isnull=False).aggregate(total=Sum("amount"))["total"]
    assert reps == Decimal("12000000.00")
    team_totals = page.locator("[data-testid=team-total]").all_inner_texts()
    assert team_totals == ["6,000,000.00", "6,000,000.00"]


def test_assistant_schedules_a_won_deal_and_records_a_partial_payment(
    live_server,
    page,  # noqa: F811
    department,
    won_deal,
):
    deal = won_deal(department.rep_north, "1000.00")
    first_due = timezone.localdate() - datetime.timedelta(days=10)
    sign_in(page, live_server, department.assistant_north)
    page.goto(f"{live_server.url}/targets/deals/{deal.pk}/schedule/")
    form = page.locator("[data-testid=schedule-form]")
    form.locator("input[name=installments]").fill("3")
    form.locator("input[name=first_due]").fill(first_due.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Payment schedule saved.")
    lines = page.locator("[data-testid=schedule-line]")
    amounts = [lines.nth(i).locator("[data-testid=line-amount]").inner_text() for i in range(3)]
    assert amounts == ["333.33", "333.33", "333.34"]

    lines.nth(0).locator("text=Record payment").click()
    amount = page.locator(
        f"#schedule-line-{Installment.objects.order_by('due_date').first().pk} input[name=amount]"
    )
    amount.fill("-5")
    page.locator(".installment-form button[type=submit]").first.click()
    page.wait_for_selector("text=The amount cannot be negative.")
    assert not Payment.objects.exists()
    page.locator(".installment-form input[name=amount]").fill("100.00")
    page.locator(".installment-form button[type=submit]").first.click()
    page.wait_for_selector("text=Payment recorded.")
    assert page.inner_text("[data-testid=schedule-paid]") == "100.00"
    assert page.inner_text("[data-testid=schedule-outstanding]") == "900.00"

    page.goto(f"{live_server.url}/targets/receivables/")
    assert page.inner_text("[data-testid=total-outstanding]") == "900.00"
    assert page.inner_text("[data-testid=total-overdue]") == "233.33"
    assert page.inner_text("[data-testid=total-days_1_30]") == "233.33"
    api = page.request.get(f"{live_server.url}/api/v1/receivables/aging/").json()
    assert (api["totals"]["outstanding_total"], api["totals"]["days_1_30"]) == ("900.00", "233.33")
