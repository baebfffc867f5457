"""The issue's "done when", driven through headless Chromium: the head sets and splits next
year's plan; an assistant schedules a won deal's payments and records a partial payment in
place; the aging page and the API agree."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from targets.models import Allocation, Payment, Plan
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    """A transactional test starts from whatever the previous one flushed, so the default
    pipeline (a data migration) is put back the way the migration creates it."""
    restore_default_stages()


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_head_sets_and_splits_next_years_plan(live_server, page, department, won_deal):
    next_year = timezone.localdate().year + 1
    won_deal(department.rep_north, "3000.00", datetime.date(next_year - 1, 3, 3))
    won_deal(department.rep_south, "1000.00", datetime.date(next_year - 1, 9, 9))
    seen = {}

    sign_in(page, live_server, department.head)
    page.goto(f"{live_server.url}/targets/plans/?year={next_year}")
    page.fill("input[name=amount]", "12000000.00")
    page.click("text=Create plan")
    page.wait_for_selector("[data-testid=decompose-form]")
    seen["last_year_preselected"] = page.is_checked("input[name=month_method][value=last_year]")
    page.click("[data-testid=decompose-submit]")
    page.wait_for_selector("[data-testid=plan-grid]")
    seen["department_total"] = page.inner_text("[data-testid=department-total]")
    seen["team_totals"] = page.locator("[data-testid=team-total]").all_inner_texts()

    assert seen == {
        "last_year_preselected": True,
        "department_total": "12,000,000.00\xa0₽",
        "team_totals": ["6,000,000.00\xa0₽", "6,000,000.00\xa0₽"],
    }
    plan = Plan.objects.get(year=next_year)
    months = Allocation.objects.filter(plan=plan, team__isnull=True, rep__isnull=True).order_by("month")
    assert [(m.month, m.amount) for m in months if m.amount] == [
        (3, Decimal("9000000.00")),
        (9, Decimal("3000000.00")),
    ]
    reps = Allocation.objects.filter(plan=plan, rep__isnull=False).aggregate(total=Sum("amount"))["total"]
    assert reps == Decimal("12000000.00")


def test_assistant_schedules_a_won_deal_and_records_a_partial_payment(
    live_server, page, department, won_deal
):
    deal = won_deal(department.rep_north, "1000.00")
    first_due = timezone.localdate() - datetime.timedelta(days=10)
    seen = {}

    sign_in(page, live_server, department.assistant_north)
    page.goto(f"{live_server.url}/targets/deals/{deal.pk}/schedule/")
    form = page.locator("[data-testid=schedule-form]")
    form.locator("input[name=installments]").fill("3")
    form.locator("input[name=first_due]").fill(first_due.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Payment schedule saved.")
    lines = page.locator("[data-testid=schedule-line]")
    seen["amounts"] = [lines.nth(i).locator("[data-testid=line-amount]").inner_text() for i in range(3)]

    lines.nth(0).locator("text=Record payment").click()
    page.locator(".installment-form input[name=amount]").fill("-5")
    page.locator(".installment-form button[type=submit]").first.click()
    page.wait_for_selector("text=The amount cannot be negative.")
    page.locator(".installment-form input[name=amount]").fill("100.00")
    page.locator(".installment-form button[type=submit]").first.click()
    page.wait_for_selector("text=Payment recorded.")
    seen["schedule"] = (
        page.inner_text("[data-testid=schedule-paid]"),
        page.inner_text("[data-testid=schedule-outstanding]"),
    )

    page.goto(f"{live_server.url}/targets/receivables/")
    seen["page"] = tuple(
        page.inner_text(f"[data-testid=total-{name}]") for name in ("outstanding", "overdue", "days_1_30")
    )
    api = page.request.get(f"{live_server.url}/api/v1/receivables/aging/").json()["totals"]
    seen["api"] = (api["outstanding_total"], api["overdue_total"], api["days_1_30"])

    assert seen == {
        "amounts": ["333.33\xa0₽", "333.33\xa0₽", "333.34\xa0₽"],
        "schedule": ("100.00\xa0₽", "900.00\xa0₽"),
        "page": ("900.00\xa0₽", "233.33\xa0₽", "233.33\xa0₽"),
        "api": ("900.00", "233.33", "233.33"),
    }
    payment = Payment.objects.get()  # the refused -5 left nothing behind
    assert (payment.amount, payment.recorded_by) == (Decimal("100.00"), department.assistant_north)
