"""In a real browser: the head runs the reports from the reports page, acknowledges an
overdue alert in place and reads the notification from the top bar."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reports.models import OverdueAlert
from reports.services.alerts import alerts_refresh
from tests.factories import InstallmentFactory, TeamFactory, UserFactory
from tests.migration_support import restore_default_stages
from tests.reports.conftest import make_deal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_the_head_runs_reports_acknowledges_an_alert_and_reads_the_notice(live_server, page):
    restore_default_stages()
    team = TeamFactory(name="Team North")
    UserFactory(username="head", first_name="Viktor", role="head", password="demo")
    rep = UserFactory(username="rep1", first_name="Anna", role="rep", team=team, password="demo")
    today = timezone.localdate()
    deal = make_deal(rep, stage_name="Won", amount="900.00", closed=today)
    InstallmentFactory(deal=deal, due_date=today - datetime.timedelta(days=40), amount=Decimal("900.00"))
    alerts_refresh(today=today)
    alert = OverdueAlert.objects.get()

    sign_in(page, live_server, "head")
    assert page.inner_text("[data-testid=unread-count]") == "1"

    page.goto(f"{live_server.url}/reports/")
    page.click("[data-testid=trigger-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/reports/")
    assert "8 report run(s) queued" in page.inner_text(".messages")
    assert page.locator("[data-testid=runs] tbody tr").count() == 8
    assert page.locator("[data-testid=runs] .run-succeeded").count() == 8
    assert page.inner_text("main").count("No figures yet.") == 0

    page.goto(f"{live_server.url}/reports/alerts/")
    row = page.locator(f"#alert-{alert.pk}")
    row.locator("summary").click()
    row.locator("textarea").fill("Their CFO promised Friday")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#alert-{alert.pk} .ack")
    assert "Their CFO promised Friday" in page.inner_text(f"#alert-{alert.pk}")
    assert page.url == f"{live_server.url}/reports/alerts/"  # swapped in place, no reload
    alert.refresh_from_db()
    assert alert.acknowledgement == "Their CFO promised Friday"

    page.click("[data-testid=notifications-link]")
    page.wait_for_url(f"{live_server.url}/reports/notifications/")
    page.click("[data-testid=notifications] button:has-text('Mark read')")
    page.wait_for_selector("[data-testid=notifications] button:has-text('Mark read')", state="detached")
    page.reload()
    assert page.locator("[data-testid=unread-count]").count() == 0
