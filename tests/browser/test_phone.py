"""A phone that works, in a real browser at 390 × 844: no page scrolls sideways (every page the
navigation links to, as a rep and as the head, on the demo department), the menu collapses
behind its button, the header search is keyboard-driven, and a call is logged from the
header in at most 4 taps plus typing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from accounts.models import User
from clients.models import Activity, Client
from deals.models import Deal
from tests.browser.support import wait_for_quiet_network
from tests.factories import ClientFactory, ContactFactory, DealFactory, stage
from tests.migrated_template import the_demo_for_a_transactional_test
from tests.migration_support import restore_default_stages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    restore_default_stages()


@pytest.fixture
def phone(browser):
    # Not is_mobile: mobile emulation widens the layout viewport to fit wide content, which
    # would hide the very overflow under test (innerWidth grows with scrollWidth).
    context = browser.new_context(viewport=PHONE, has_touch=True)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


def sign_in(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def overflow(page) -> tuple[int, int]:
    return tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))


def assert_fits(page, live_server, path: str, who: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path} as {who} answered {response.status}"
    wait_for_quiet_network(page)
    scroll_width, inner_width = overflow(page)
    assert inner_width == PHONE["width"], f"{path} as {who}: the viewport is {inner_width} px wide"
    assert scroll_width <= inner_width, (
        f"{path} as {who} scrolls sideways at 390 px: scrollWidth {scroll_width} > {inner_width}"
    )


@pytest.mark.long
def test_no_page_scrolls_sideways_on_a_phone(live_server, phone):
    """The demo department (long names, e-mails, big sums): every navigation link, its
    sub-pages (report cards, plan tabs), a client page and a deal page, as rep1 and as head."""
    with the_demo_for_a_transactional_test(connection):
        call_command("run_reports", "--months", "2", "--no-email", stdout=StringIO())
        for username in ("rep1", "head"):
            every_page_fits(phone, live_server, username)


def every_page_fits(phone, live_server, username: str) -> None:
    user = User.objects.get(username=username)
    client = Client.objects.visible_to(user).filter(contacts__isnull=False).order_by("pk").first()
    deal = Deal.objects.visible_to(user).order_by("pk").first()
    phone.context.clear_cookies()
    sign_in(phone, live_server, username, password="demo")
    links = phone.eval_on_selector_all("nav.nav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 10, links
    pages = []
    for link in links:
        if link.startswith("/admin/"):
            continue
        assert_fits(phone, live_server, link, username)
        below = "main .subnav a, main a.report-card"
        pages += phone.eval_on_selector_all(below, "links => links.map(a => a.getAttribute('href'))")
    for path in dict.fromkeys(
        [
            *pages,
            f"/clients/{client.pk}/",
            f"/deals/{deal.pk}/",
            "/search/?q=an",
            "/log/",
            "/accounts/tokens/",
        ]
    ):
        assert_fits(phone, live_server, path, username)


def test_the_menu_collapses_behind_its_button(live_server, phone, department):
    sign_in(phone, live_server, department.rep_north.username)
    nav = phone.locator("nav.nav")
    toggle = phone.locator("[data-menu-toggle]")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    header_height = phone.locator("header.topbar").bounding_box()["height"]
    assert header_height < 120, header_height
    toggle.tap()
    expect(nav).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    # by keyboard: the button is focused after Escape; Enter opens, Enter again closes
    phone.keyboard.press("Enter")
    expect(nav).to_be_visible()
    phone.keyboard.press("Enter")
    expect(nav).to_be_hidden()


def test_without_script_the_menu_is_behind_a_link_on_a_phone(live_server, phone, browser, department):
    """Without script the menu's button opens nothing: it was shown whole, fourteen links and the
    account's tools making the header about 700 px tall. A "Menu" link opens it instead."""
    sign_in(phone, live_server, department.rep_north.username)
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, storage_state=phone.context.storage_state()
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/tasks/")
    nav = page.locator("nav.nav")
    expect(nav).to_be_hidden()
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    assert page.locator("header.topbar").bounding_box()["height"] < 120
    page.locator("a.menu-link").click()
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Deals").click()
    page.wait_for_url(f"{live_server.url}/deals/list/")
    context.close()


def test_the_menu_is_inline_on_a_desktop(live_server, page, department):
    sign_in(page, live_server, department.rep_north.username)
    expect(page.locator("nav.nav")).to_be_visible()
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()


def test_search_from_the_header_with_the_keyboard(live_server, page, department):
    aurora = ClientFactory(owner=department.rep_north, name="Aurora Logistics")
    ContactFactory(client=aurora, name="Ivan Aurorin")
    ClientFactory(owner=department.rep_south, name="Aurora South")
    sign_in(page, live_server, department.rep_north.username)
    box = page.locator("#header-search-q")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    box.blur()
    page.keyboard.press("Control+k")
    expect(box).to_be_focused()
    page.keyboard.type("auror")
    hits = page.locator("#header-search-results .search-hit")
    expect(hits).to_have_count(2)  # the client and its contact; not rep_south's client
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(hits.first).to_have_class("search-hit active")
    expect(box).to_have_attribute("aria-activedescendant", f"search-hit-clients-{aurora.pk}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/clients/{aurora.pk}/")
    # Enter with nothing chosen opens the full results page
    page.keyboard.press("/")
    page.keyboard.type("auror")
    expect(hits).to_have_count(2)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/search/?q=auror")
    expect(page.locator(".search-result-link")).to_have_count(2)


def test_a_call_is_logged_from_the_header_in_four_taps_on_a_phone(live_server, phone, department):
    rep = department.rep_north
    client = ClientFactory(owner=rep, name="Borei Capital", tax_id="7709876543")
    ContactFactory(client=client, name="Office manager")
    boss = ContactFactory(client=client, name="Dmitry Liu", is_decision_maker=True)
    deal = DealFactory(client=client, owner=rep, title="Fleet renewal")
    DealFactory(client=client, owner=rep, title="Old one", stage=stage("Lost"))
    sign_in(phone, live_server, rep.username)
    phone.goto(f"{live_server.url}/deals/list/")
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.tap()

    tap(phone.locator("[data-testid=quick-log-button]"))
    search = phone.locator("dialog.quick-log #quick-log-q")
    expect(search).to_be_focused()
    phone.keyboard.type("borei")
    tap(phone.locator(".quick-log-pick-client", has_text="Borei Capital"))
    form = phone.locator("dialog.quick-log form.quick-log-form")
    expect(form.locator("[name=kind]")).to_have_value("call")
    expect(form.locator("[name=contact]")).to_have_value(str(boss.pk))
    expect(form.locator("[name=deal]")).to_have_value(str(deal.pk))
    expect(form.locator("[name=outcome]")).to_be_focused()
    phone.keyboard.type("Agreed to a demo on Friday")
    tap(form.locator("[data-testid=quick-log-save]"))
    expect(phone.locator("[data-testid=quick-log-done]")).to_have_text("Call with Borei Capital logged.")
    assert taps <= 4, taps
    activity = Activity.objects.get()
    assert (activity.client_id, activity.contact_id, activity.deal_id, activity.owner_id) == (
        client.pk,
        boss.pk,
        deal.pk,
        rep.pk,
    )
    assert (activity.kind, activity.outcome) == ("call", "Agreed to a demo on Friday")
    assert overflow(phone)[0] <= PHONE["width"]


def test_a_proposal_and_the_deals_lines_show_each_line_and_the_totals_within_a_phones_width(
    live_server, phone, department
):
    """The proposal's nine-column lines table is wider than a phone: there each line reads as a
    card of label-value rows and the totals follow, every amount on screen without scrolling
    sideways (in a box that scrolled, the totals sat off-screen behind their empty rows)."""
    from decimal import Decimal

    from deals.services import deal_line_add, quote_create
    from tests.factories import ProductFactory

    rep = department.rep_north
    client = ClientFactory(owner=rep, name="Severnaya Verf Shipbuilding Holding")
    deal = DealFactory(client=client, owner=rep, title="Fleet telemetry rollout")
    for name in ("Telemetry gateway with extended warranty", "Installation and commissioning", "Licence"):
        product = ProductFactory(name=name, list_price=Decimal("1234567.89"))
        deal_line_add(
            by=rep, deal=deal, product=product, quantity=Decimal("12.5"), discount_percent=Decimal("5")
        )
    quote = quote_create(by=rep, deal=deal, payment_terms="50% upfront, 50% on delivery")
    sign_in(phone, live_server, rep.username)
    assert_fits(phone, live_server, f"/deals/quotes/{quote.pk}/", rep.username)
    widths = "box => [box.clientWidth, box.scrollWidth]"
    lines_width, lines_scroll = phone.get_by_test_id("quote-lines-box").evaluate(widths)
    assert lines_scroll == lines_width < PHONE["width"]  # nothing hidden to the side
    edges = "element => { const r = element.getBoundingClientRect(); return [r.left, r.right]; }"
    for test_id in ("quote-net", "quote-gross"):
        left, right = phone.get_by_test_id(test_id).evaluate(edges)
        assert 0 <= left < right <= PHONE["width"], (test_id, left, right)
    gross = phone.get_by_test_id("quote-gross").inner_text()
    # each line: 12.5 × 1,234,567.89 less 5 % = 14,660,493.69, with 20 % tax 17,592,592.43; three lines
    assert gross.replace("\xa0", " ") == "52,777,777.29 ₽"
    labels = phone.locator(".quote-doc-line").first.evaluate(
        "line => [...line.querySelectorAll('td[data-label]')]"
        ".map(td => getComputedStyle(td, '::before').content)"
    )
    assert labels == ['"Qty"', '"Unit price"', '"Discount, %"', '"Net"', '"Tax, %"', '"Tax"', '"Gross"']
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # the deal page's lines the same way: every line's figures and the totals on screen
    assert_fits(phone, live_server, f"/deals/{deal.pk}/", rep.username)
    lines_width, lines_scroll = phone.locator("#deal-commerce .table-scroll").evaluate(widths)
    assert lines_scroll == lines_width < PHONE["width"]
    for test_id in ("lines-net", "lines-gross"):
        left, right = phone.get_by_test_id(test_id).evaluate(edges)
        assert 0 <= left < right <= PHONE["width"], (test_id, left, right)


def test_a_reps_day_on_a_phone_from_my_day_to_the_calendar_feed(live_server, phone, department):
    """Issue 12's "done when" in one go, as a rep on a 390 px phone: close a call in My day with
    its outcome and the next task in the same form; find a client from the header search; log
    a call with a next task from the header in at most 4 taps plus typing, after which the deal
    is no longer flagged "no open task"; the calendar shows the new tasks; the iCalendar feed
    holds exactly the rep's open tasks."""
    import datetime
    import re

    from django.utils import timezone

    from clients.models import Task
    from tests.factories import TaskFactory

    rep = department.rep_north
    today = timezone.localdate()
    polar = ClientFactory(owner=rep, name="Polar Foods")
    call = TaskFactory(client=polar, owner=rep, title="Call the buyer", due_time=datetime.time(9))
    borei = ClientFactory(owner=rep, name="Borei Capital")
    boss = ContactFactory(client=borei, name="Dmitry Liu", is_decision_maker=True)
    deal = DealFactory(client=borei, owner=rep, title="Fleet renewal")
    TaskFactory(
        client=ClientFactory(owner=department.rep_south), owner=department.rep_south, title="South call"
    )
    sign_in(phone, live_server, rep.username)

    # My day: one tap opens the call's form; outcome and next task, saved together.
    phone.goto(f"{live_server.url}/tasks/")
    row = phone.locator(f"#task-{call.pk}")
    expect(phone.get_by_test_id("today")).to_contain_text("Call the buyer")
    row.locator("summary").tap()
    row.locator("textarea[name=outcome]").fill("They want a demo")
    row.locator("input[name=next_title]").fill("Send the demo invite")
    row.locator("input[name=next_due_date]").fill(today.isoformat())
    row.locator("input[name=next_due_time]").fill("23:00")
    row.locator("button[type=submit].primary").tap()
    expect(row).to_contain_text("Done and logged; next: Send the demo invite")
    invite = Task.objects.get(title="Send the demo invite")
    assert (invite.client, invite.owner, invite.status) == (polar, rep, "open")
    assert Task.objects.get(pk=call.pk).status == "done"
    assert overflow(phone)[0] <= PHONE["width"]

    # The deal without an open task is flagged on its page.
    phone.goto(f"{live_server.url}/deals/{deal.pk}/")
    expect(phone.locator('#deal-signals [data-warning="no_open_task"]')).to_have_count(1)

    # The header search finds the client.
    box = phone.locator("#header-search-q")
    box.tap()
    phone.keyboard.type("borei")
    hit = phone.locator(f"#search-hit-clients-{borei.pk}")
    hit.tap()
    phone.wait_for_url(f"{live_server.url}/clients/{borei.pk}/")

    # Quick log from the header: a call with its outcome and the next task, in ≤ 4 taps.
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.tap()

    tap(phone.locator("[data-testid=quick-log-button]"))
    expect(phone.locator("dialog.quick-log #quick-log-q")).to_be_focused()
    phone.keyboard.type("borei")
    tap(phone.locator(".quick-log-pick-client", has_text="Borei Capital"))
    form = phone.locator("dialog.quick-log form.quick-log-form")
    expect(form.locator("[name=contact]")).to_have_value(str(boss.pk))
    expect(form.locator("[name=deal]")).to_have_value(str(deal.pk))
    expect(form.locator("[name=outcome]")).to_be_focused()
    phone.keyboard.type("Agreed on the fleet size")
    tap(form.locator("details.quick-log-next summary"))
    form.locator("[name=next_title]").fill("Call about the fleet contract")
    form.locator("[name=next_due_date]").fill(today.isoformat())
    form.locator("[name=next_due_time]").fill("23:30")
    tap(form.locator("[data-testid=quick-log-save]"))
    expect(phone.locator("[data-testid=quick-log-done]")).to_contain_text(
        "Call with Borei Capital logged. Next: Call about the fleet contract"
    )
    assert taps <= 4, taps
    contract_call = Task.objects.get(title="Call about the fleet contract")
    assert (contract_call.deal, contract_call.contact, contract_call.due_time) == (
        deal,
        boss,
        datetime.time(23, 30),
    )

    # The deal is no longer flagged.
    phone.goto(f"{live_server.url}/deals/{deal.pk}/")
    expect(phone.get_by_test_id("deal-title")).to_have_text("Fleet renewal")
    expect(phone.locator('[data-warning="no_open_task"]')).to_have_count(0)

    # The calendar (this week's list on a phone) shows both new tasks.
    phone.goto(f"{live_server.url}/tasks/calendar/")
    for task in (invite, contract_call):
        expect(phone.locator(f'#task-calendar a[href="/tasks/{task.pk}/"]')).to_have_count(1)
    expect(phone.locator(f'#task-calendar a[href="/tasks/{call.pk}/"]')).to_have_count(0)
    assert overflow(phone)[0] <= PHONE["width"]
    # the views are switched above the list: below a long week's list they were out of reach
    month = phone.locator("#task-calendar button", has_text="Month").bounding_box()
    assert month["y"] < phone.locator(f'#task-calendar a[href="/tasks/{invite.pk}/"]').bounding_box()["y"]

    # The feed holds exactly the rep's open tasks: the two new ones, not the done call, not
    # another rep's.
    phone.goto(f"{live_server.url}/tasks/settings/")
    address = phone.get_by_test_id("feed-url").input_value()
    feed = phone.request.get(live_server.url + re.sub(r"^https?://[^/]+", "", address))
    assert (feed.status, feed.headers["content-type"].split(";")[0]) == (200, "text/calendar")
    uids = sorted(re.findall(r"UID:task-(\d+)@salesdept", feed.text()))
    assert uids == sorted([str(invite.pk), str(contract_call.pk)])
    assert "Send the demo invite" in feed.text() and "South call" not in feed.text()


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_the_leaderboard_and_the_lost_report_fit_a_phone(live_server, phone, department, language):
    """Both with rows, their charts and the comparison with earlier periods, in every
    language (Russian labels are the longest): nothing scrolls sideways at 390 px."""
    import datetime

    from accounts.models import Role
    from reports.services.incentives import bonus_scheme_save, incentives_compute
    from targets.models import PlanMetric
    from tests.reports.test_lost import lost, won

    d = department
    today = datetime.date.today()
    for number, reason in enumerate(["No decision / timing", "Lost contact", "Price", "Product fit"]):
        lost(d.rep_north, f"{number + 1}234567.89", reason, ["Lead", "Negotiation"], today, ["Acme Holdings"])
    won(d.rep_south, "98765432.10", today, ["Acme Holdings"])
    bonus_scheme_save(
        by=d.head, role=Role.REP, basis=PlanMetric.BOOKED, active=True, tiers=[("80", "5"), ("100", "8")]
    )
    incentives_compute(as_of=today)
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in(phone, live_server, d.head.username)
    month = f"{today:%Y-%m}"
    for path in (
        f"/reports/incentives/?period={month}",
        f"/reports/lost/?period={month}",
        f"/reports/lost/?period={month}&group_by=competitor",
        "/reports/incentives/schemes/",
    ):
        assert_fits(phone, live_server, path, f"head ({language})")
        assert phone.locator("[data-testid=period-summary]").count() == (0 if "schemes" in path else 1), path


def test_chinese_dates_keep_to_one_line_in_the_lists_narrow_columns(live_server, phone, department):
    """At 390 px the deal list's close dates and the client list's last contacts broke after
    年 ("2027年" over "3月2日"): dates and amounts keep to one line in every table."""
    import datetime

    from tests.deals.conftest import make_deal

    customer = ClientFactory(owner=department.rep_north, name="Polar Foods")
    for number in range(3):
        make_deal(
            department.rep_north,
            client=customer,
            title=f"Long deal name number {number} for a narrow column",
            amount="1234567.89",
            expected_close=datetime.date(2027, 3, 25),
        )
    phone.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    sign_in(phone, live_server, department.rep_north.username)
    # the lines a cell's text takes (its text nodes' boxes, by their tops)
    lines = """() => Array.from(document.querySelectorAll('td'))
        .filter(td => /^\\d{4}年\\d+月\\d+日$|₽$/.test(td.innerText.trim()))
        .map(td => { const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
                     const tops = new Set();
                     for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                       if (!node.textContent.trim()) continue;
                       const range = document.createRange(); range.selectNodeContents(node);
                       for (const box of range.getClientRects()) tops.add(Math.round(box.top)); }
                     return [td.innerText.trim(), tops.size]; })"""
    phone.goto(f"{live_server.url}/deals/list/")
    cells = phone.evaluate(lines)
    assert any(text == "2027年3月25日" for text, _lines in cells), cells
    assert [cell for cell in cells if cell[1] > 1] == []


def test_a_lists_filters_are_folded_on_a_phone_until_one_is_in_use(live_server, phone, browser, department):
    """The deal list at 390 px opened on a dozen filter fields with the list below the first
    screen: the panel is folded there unless a filter is in use; a desktop keeps it open."""
    sign_in(phone, live_server, department.rep_north.username)
    panel = phone.locator("details.filter-panel")
    phone.goto(f"{live_server.url}/deals/list/")
    expect(panel).not_to_have_attribute("open", "")
    phone.locator("details.filter-panel > summary").click()
    expect(phone.locator("details.filter-panel select[name=status]")).to_be_visible()
    phone.goto(f"{live_server.url}/deals/list/?status=lost&sort=title")
    expect(panel).to_have_attribute("open", "")
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    sign_in(page, live_server, department.rep_north.username)
    page.goto(f"{live_server.url}/deals/list/")
    expect(page.locator("details.filter-panel")).to_have_attribute("open", "")
    desktop.close()
