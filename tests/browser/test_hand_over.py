"""In a real browser: a lead hands a leaving rep's book to two teammates evenly. Afterwards
the old rep owns nothing open, the counts moved equal the preview, and the board, the
overdue receivables and the alerts show the new owners."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.handover import book_of
from accounts.models import HandOver
from reports.models import OverdueAlert
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, TaskFactory, stage
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's
KINDS = ["clients", "tasks", "alerts", "installments", "deals"]


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    restore_default_stages()


@pytest.fixture
def leaving_book(department):
    """rep_north's book: four clients (A–D); A has an open deal and a won one whose installment
    is 40 days overdue with an open alert; B has an open deal and a task; C a task."""
    rep = department.rep_north
    clients = {name: ClientFactory(owner=rep, name=f"Leaving {name}") for name in "ABCD"}
    DealFactory(client=clients["A"], owner=rep, title="Open A", amount=Decimal("700.00"))
    DealFactory(client=clients["B"], owner=rep, title="Open B", amount=Decimal("300.00"))
    won = DealFactory(client=clients["A"], owner=rep, title="Won A", stage=stage("Won"), closed_at=None)
    due = timezone.localdate() - datetime.timedelta(days=40)
    line = InstallmentFactory(deal=won, amount=Decimal("900.00"), due_date=due)
    OverdueAlert.objects.create(
        installment=line,
        client=clients["A"],
        level=1,
        due_date=due,
        days_overdue=40,
        bucket="31-60",
        outstanding=Decimal("900.00"),
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
        checked_on=timezone.localdate(),
        updated_at=timezone.now(),
    )
    TaskFactory(client=clients["B"], owner=rep)
    TaskFactory(client=clients["C"], owner=rep)
    return clients


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def preview_counts(page, receiver) -> dict[str, int]:
    cells = page.locator(f'tr[data-receiver="{receiver.pk}"] td').all_inner_texts()
    return dict(zip(KINDS, (int(text) for text in cells), strict=True))


def test_a_lead_hands_a_leaving_reps_book_to_two_teammates(live_server, page, department, leaving_book):
    rep, first, second = department.rep_north, department.rep_north_2, department.account_manager_south
    second.team = department.north
    second.save()
    sign_in(page, live_server, department.lead_north)
    page.goto(f"{live_server.url}{reverse('accounts:staff')}")
    page.locator(f'a[href="{reverse("accounts:hand_over", args=[rep.pk])}"]').click()
    expect(page.locator("h1")).to_contain_text(rep.full_name)
    even = page.locator('form[data-hand-over="even"]')
    even.locator(f'input[name="to"][value="{first.pk}"]').check()
    even.locator(f'input[name="to"][value="{second.pk}"]').check()
    # The clients are dealt out in the order the receivers are listed (by name).
    listed = [
        int(value) for value in even.locator('input[name="to"]').evaluate_all("els => els.map(e => e.value)")
    ]
    first, second = sorted((first, second), key=lambda person: listed.index(person.pk))
    even.get_by_role("button").click()

    expect(page.locator("table[data-preview]")).to_be_visible()
    previewed = {person.pk: preview_counts(page, person) for person in (first, second)}
    # Clients dealt out in turn by name: A, C to the first (both deals on A, …), B, D to the second.
    assert previewed[first.pk] == {"clients": 2, "tasks": 1, "alerts": 1, "installments": 1, "deals": 1}
    assert previewed[second.pk] == {"clients": 2, "tasks": 1, "alerts": 0, "installments": 0, "deals": 1}

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[data-confirm]").get_by_role("button", name="Hand over").click()
    expect(page.locator("[data-book-empty]")).to_be_visible()

    record = HandOver.objects.get()
    assert record.counts == {str(pk): counts for pk, counts in previewed.items()}
    assert book_of(rep).is_empty

    page.goto(f"{live_server.url}{reverse('board')}")
    expect(page.get_by_test_id(f"rep-card-{first.username}").get_by_test_id("open-count")).to_contain_text(
        "1"
    )
    expect(page.get_by_test_id(f"rep-card-{second.username}").get_by_test_id("open-count")).to_contain_text(
        "1"
    )
    # The leaving rep still sells on the board, with nothing open.
    expect(page.get_by_test_id(f"rep-card-{rep.username}").get_by_test_id("open-count")).to_have_text(
        re.compile(r"^0\b")
    )

    page.goto(f"{live_server.url}{reverse('targets:overdue')}")
    expect(page.locator("body")).to_contain_text("Won A")
    expect(page.locator("main")).to_contain_text(first.full_name)

    page.goto(f"{live_server.url}{reverse('reports:alerts')}")
    alert_row = page.locator(f"#alert-{OverdueAlert.objects.get().pk}")
    expect(alert_row).to_contain_text(first.full_name)
    expect(alert_row).not_to_contain_text(rep.full_name)


def test_the_hand_over_page_fits_a_phone(live_server, browser, department, leaving_book):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        sign_in(page, live_server, department.lead_north)
        page.goto(f"{live_server.url}{reverse('accounts:hand_over', args=[department.rep_north.pk])}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        even = page.locator('form[data-hand-over="even"]')
        even.locator(f'input[name="to"][value="{department.rep_north_2.pk}"]').check()
        even.get_by_role("button").click()
        expect(page.locator("table[data-preview]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
