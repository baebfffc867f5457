"""The rep's day in a real browser on a 390 px phone: My day lists today's call, one tap opens
the completion form, the outcome and the next task are logged in one step; the calendar page
shows the next task and a drag moves another task to the next day."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Activity, Task
from tests.browser.support import sign_in
from tests.factories import ClientFactory, TaskFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_closes_a_call_and_plans_the_next_on_a_phone(live_server, browser):
    rep = UserFactory(username="rep1", first_name="Anna", role="rep", password="demo")
    customer = ClientFactory(owner=rep, name="Polar Foods")
    today = timezone.localdate()
    if today.weekday() == 6:
        pytest.skip("on a Sunday tomorrow is in next week's grid")
    call = TaskFactory(client=customer, owner=rep, title="Call the buyer", due_time=datetime.time(11))
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, "rep1")
    expect(page.get_by_test_id("tasks-due")).to_contain_text("Call the buyer")  # home: today's tasks

    page.goto(f"{base}/tasks/")
    row = page.locator(f"#task-{call.pk}")
    expect(page.get_by_test_id("today")).to_contain_text("Call the buyer")
    row.locator("summary").click()
    expect(row.locator("textarea[name=outcome]")).to_be_visible()  # loaded when opened
    # the outcome box and the button stay inside the row's card (they stuck 3 px past its edge)
    within = """(id) => { const row = document.getElementById(id); const box = row.getBoundingClientRect();
        const edge = box.right - parseFloat(getComputedStyle(row).borderRightWidth);
        return Array.from(row.querySelectorAll('textarea, button.primary'))
            .map(element => element.getBoundingClientRect().right - edge); }"""
    assert all(past <= 0.5 for past in page.evaluate(within, f"task-{call.pk}"))
    # the opened form keeps the page in the phone's width (the row, a grid item, was as wide
    # as its outcome box: 6 px off-screen)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row.locator("textarea[name=outcome]").fill("They want a demo")
    row.locator("input[name=next_title]").fill("Demo at their office")
    row.locator("input[name=next_due_date]").fill((today + datetime.timedelta(days=1)).isoformat())
    row.locator("input[name=next_due_time]").fill("10:00")
    row.locator("button[type=submit].primary").click()
    expect(page.locator(f"#task-{call.pk}")).to_contain_text("Done and logged; next: Demo at their office")
    assert Activity.objects.get(client=customer).outcome == "They want a demo"
    planned = Task.objects.get(title="Demo at their office")
    assert (planned.due_date, planned.due_time, planned.owner) == (
        today + datetime.timedelta(days=1),
        datetime.time(10),
        rep,
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The calendar on the phone: this week's agenda, its title above it, nothing cut off
    page.goto(f"{base}/tasks/calendar/")
    expect(page.locator("#calendar-title")).to_be_visible()
    expect(page.locator(f'#task-calendar a[href="/tasks/{planned.pk}/"]')).to_contain_text(
        "Demo at their office"
    )
    assert page.evaluate(
        "(() => { const box = document.getElementById('task-calendar');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )

    # The calendar (desktop width for the week grid): the next task is there; drag it a day on.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    calendar_page = desk.new_page()
    calendar_page.set_default_timeout(15_000)
    sign_in(calendar_page, base, "rep1")
    calendar_page.goto(f"{base}/tasks/calendar/")
    event = calendar_page.locator(f'#task-calendar a[href="/tasks/{planned.pk}/"]')
    expect(event).to_contain_text("Demo at their office")
    event.scroll_into_view_if_needed()
    box = event.bounding_box()
    day_width = calendar_page.evaluate("document.getElementById('task-calendar').offsetWidth") / 8
    x, y = box["x"] + 20, box["y"] + 10
    direction = -1 if (today + datetime.timedelta(days=1)).weekday() == 6 else 1
    calendar_page.mouse.move(x, y)
    calendar_page.mouse.down()
    for step in range(1, 16):
        calendar_page.mouse.move(x + direction * day_width * step / 15, y, steps=2)
        calendar_page.wait_for_timeout(20)
    calendar_page.mouse.up()
    expect(calendar_page.locator("#calendar-status")).to_have_text("Moved.")
    planned.refresh_from_db()
    assert planned.due_date == today + datetime.timedelta(days=1 + direction)
    assert planned.due_time == datetime.time(10)

    # On the client page the open tasks sit in a narrow side panel: the completion form opens
    # inside the task's row, not across the page
    calendar_page.goto(f"{base}/clients/{customer.pk}/")
    side_row = calendar_page.locator(f"#task-{planned.pk}")
    side_row.locator("summary").click()
    expect(side_row.locator("textarea[name=outcome]")).to_be_visible()
    row_box = side_row.bounding_box()
    form_box = side_row.locator("form.task-complete-form").bounding_box()
    assert form_box["x"] + form_box["width"] <= row_box["x"] + row_box["width"] + 1, (form_box, row_box)
    assert calendar_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
    desk.close()


def test_the_calendar_keeps_the_departments_day_and_times_in_a_browser_elsewhere(live_server, browser):
    """A rep whose laptop is set to Los Angeles, on Sunday afternoon there: in Moscow (the
    department's zone) it is already Monday, so the calendar opens on Monday's week, shows
    Monday's 10:00 call at 10:00, and a drag to Tuesday keeps 10:00. (With the browser's zone
    it opened on the week before, without the call, and a drag sent Los Angeles' hours.)"""
    rep = UserFactory(username="rep1", first_name="Anna", role="rep", password="demo")
    customer = ClientFactory(owner=rep, name="Polar Foods")
    monday = datetime.date(2026, 12, 7)
    call = TaskFactory(
        client=customer, owner=rep, title="Call the buyer", due_date=monday, due_time=datetime.time(10)
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "rep1")
    # Sunday 14:30 in Los Angeles is Monday 01:30 in Moscow
    page.clock.set_fixed_time(datetime.datetime(2026, 12, 6, 22, 30, tzinfo=datetime.UTC))
    page.goto(f"{live_server.url}/tasks/calendar/")
    event = page.locator(f'#task-calendar a[href="/tasks/{call.pk}/"]')
    expect(event).to_contain_text("Call the buyer")
    expect(event).to_contain_text("10")
    week = "document.getElementById('task-calendar').calendar.view.currentStart.toISOString()"
    assert page.evaluate(week) == "2026-12-06T21:00:00.000Z"  # Monday 00:00 in Moscow

    event.scroll_into_view_if_needed()
    box = event.bounding_box()
    day_width = page.evaluate("document.getElementById('task-calendar').offsetWidth") / 8
    x, y = box["x"] + 20, box["y"] + 10
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(x + day_width * step / 15, y, steps=2)
        page.wait_for_timeout(20)
    page.mouse.up()
    expect(page.locator("#calendar-status")).to_have_text("Moved.")
    call.refresh_from_db()
    assert (call.due_date, call.due_time) == (datetime.date(2026, 12, 8), datetime.time(10))
    context.close()
