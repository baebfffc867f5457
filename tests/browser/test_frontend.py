"""In a real browser: no page breaks the Content-Security-Policy, and an htmx form that
answers 400 shows its error fragment on the clients, targets and reports pages alike."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import OverdueAlert
from tests.browser.support import wait_for_quiet_network
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, stage
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    """A transactional test starts from whatever the previous one flushed: put the default
    pipeline (a data migration) back."""
    restore_default_stages()


@pytest.fixture
def overdue(department):
    """A won deal of rep_north with an installment 40 days overdue, and its open alert."""
    customer = ClientFactory(owner=department.rep_north, name="Polar Foods")
    deal = DealFactory(
        client=customer, title="Cold store", amount=Decimal("900.00"), stage=stage("Won"), closed_at=None
    )
    due = timezone.localdate() - datetime.timedelta(days=40)
    line = InstallmentFactory(deal=deal, amount=Decimal("900.00"), due_date=due)
    alert = OverdueAlert.objects.create(
        installment=line,
        client=customer,
        level=1,
        due_date=due,
        days_overdue=40,
        bucket="31-60",
        outstanding=Decimal("900.00"),
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
        checked_on=timezone.localdate(),
        updated_at=timezone.now(),
    )
    return {"client": customer, "deal": deal, "line": line, "alert": alert}


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def watch_for_policy_violations(page) -> list[str]:
    refused = []
    page.on("console", lambda message: "Refused to" in message.text and refused.append(message.text))
    return refused


def without_browser_validation(page, selector):
    """The server's 400 is what is under test, so the browser's own checks step aside."""
    page.eval_on_selector(selector, "form => { form.noValidate = true; }")


def test_no_page_breaks_the_content_security_policy(live_server, page, department, overdue):
    refused = watch_for_policy_violations(page)
    sign_in(page, live_server, department.head)
    pages = [
        reverse("home"),
        reverse("clients:list"),
        reverse("clients:detail", args=[overdue["client"].pk]),
        reverse("deals:detail", args=[overdue["deal"].pk]),
        reverse("deals:kanban"),
        reverse("board"),
        reverse("reports:index"),
        reverse("reports:fulfilment"),
        reverse("targets:receivables"),
        reverse("targets:overdue"),
    ]
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        wait_for_quiet_network(page)
    assert refused == []


def test_the_api_docs_render_under_the_policy(live_server, page, department):
    refused = watch_for_policy_violations(page)
    sign_in(page, live_server, department.head)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("salesdept API", timeout=20_000)
    assert refused == []


def test_a_bad_quick_log_on_the_client_page_shows_its_message(live_server, page, department, overdue):
    refused = watch_for_policy_violations(page)
    sign_in(page, live_server, department.rep_north)
    page.goto(f"{live_server.url}{reverse('clients:detail', args=[overdue['client'].pk])}")
    form = "#activity-panel form.activity-form"
    without_browser_validation(page, form)
    page.fill(f"{form} [name=duration_minutes]", "-5")
    with page.expect_response(
        lambda response: "/log" in response.url or response.request.method == "POST"
    ) as info:
        page.click(f"{form} button[type=submit]")
    assert info.value.status == 400
    expect(page.locator(f"{form} .field-error")).to_be_visible()
    assert refused == []


def test_a_bad_payment_on_the_overdue_list_shows_its_message(live_server, page, department, overdue):
    sign_in(page, live_server, department.rep_north)
    page.goto(f"{live_server.url}{reverse('targets:overdue')}")
    row = f"#installment-{overdue['line'].pk}"
    page.click(f"{row} >> text=Record payment")
    form = f"{row} form"
    page.wait_for_selector(form)
    without_browser_validation(page, form)
    page.fill(f"{form} [name=amount]", "-1")
    with page.expect_response(lambda response: response.request.method == "POST") as info:
        page.click(f"{form} button[type=submit]")
    assert info.value.status == 400
    expect(page.locator(f"{row} .field-error")).to_be_visible()


def test_a_blank_acknowledgement_on_the_alerts_page_shows_its_message(live_server, page, department, overdue):
    sign_in(page, live_server, department.head)
    page.goto(f"{live_server.url}{reverse('reports:alerts')}")
    row = f"#alert-{overdue['alert'].pk}"
    page.click(f"{row} summary")
    page.fill(f"{row} textarea[name=comment]", "   ")
    with page.expect_response(lambda response: response.request.method == "POST") as info:
        page.click(f"{row} button[type=submit]")
    assert info.value.status == 400
    expect(page.locator(f"{row} .field-error").last).to_have_text("Say what is being done about it.")
    assert OverdueAlert.objects.get(pk=overdue["alert"].pk).acknowledged_at is None
