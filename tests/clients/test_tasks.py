"""Tasks: planning (who may give whom a task), closing one by logging its activity with the
next task in the same step, snoozing, cancelling, deleting; My day, the task pages, and the
deal flag "no open task"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clients import services
from clients.models import Activity, Task, TaskStatus
from core.errors import Conflict
from tests.factories import DealFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> datetime.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- planning


def test_a_rep_plans_for_themselves_a_lead_and_an_assistant_for_the_team(department, book):
    own = services.task_create(
        by=department.rep_north, client=book.north, title=" Call Olga ", due_date=today()
    )
    assert (own.owner, own.created_by, own.title, own.status) == (
        department.rep_north,
        department.rep_north,
        "Call Olga",
        "open",
    )
    by_lead = services.task_create(
        by=department.lead_north,
        client=book.north,
        title="Visit",
        due_date=today(),
        owner=department.rep_north,
    )
    assert (by_lead.owner, by_lead.created_by) == (department.rep_north, department.lead_north)
    by_assistant = services.task_create(
        by=department.assistant_north,
        client=book.north,
        title="Send the invoice",
        kind="email",
        due_date=today() + DAY,
        owner=department.rep_north,
    )
    assert by_assistant.owner == department.rep_north
    # A rep gives no task to a colleague; the owner must see the client.
    with pytest.raises(ValidationError) as error:
        services.task_create(
            by=department.rep_north,
            client=book.north,
            title="X",
            due_date=today(),
            owner=department.rep_north_2,
        )
    assert error.value.message_dict == {
        "owner": [f"You may not give tasks to {department.rep_north_2.full_name}."]
    }
    with pytest.raises(ValidationError) as error:
        services.task_create(
            by=department.lead_north,
            client=book.north,
            title="X",
            due_date=today(),
            owner=department.rep_north_2,
        )
    assert error.value.message_dict == {
        "owner": [f"{department.rep_north_2.full_name} does not see this client."]
    }
    with pytest.raises(ValidationError) as error:  # a hidden person reads like nobody
        services.task_create(
            by=department.lead_north,
            client=book.north,
            title="X",
            due_date=today(),
            owner=department.rep_south,
        )
    assert error.value.message_dict == {"owner": ["Choose someone you may give tasks to."]}
    with pytest.raises(Http404):
        services.task_create(by=department.rep_south, client=book.north, title="X", due_date=today())
    with pytest.raises(PermissionDenied):
        services.task_create(by=department.analyst, client=book.north, title="X", due_date=today())
    assert Task.objects.count() == 3


def test_bad_task_input_is_refused_whole(department, book):
    foreign_deal = DealFactory(client=book.north_2)
    with pytest.raises(ValidationError) as error:
        services.task_create(
            by=department.head,
            client=book.north,
            title=" ",
            kind="dance",
            due_date=today() - DAY,
            duration_minutes=24 * 60 + 1,
            contact=book.south_contact,
            deal=foreign_deal,
            notes="n" * 5001,
        )
    assert error.value.message_dict == {
        "kind": ["Choose a valid kind of task."],
        "title": ["Say what is to be done."],
        "notes": ["Longer than 5000 characters."],
        "contact": ["This contact belongs to another client."],
        "deal": ["This deal belongs to another client."],
        "duration_minutes": ["A task lasts from 1 to 1440 minutes."],
        "due_date": ["Choose today or a later date."],
    }
    with pytest.raises(ValidationError) as error:
        services.task_create(
            by=department.head, client=book.north, title="X", due_date=today(), duration_minutes=30
        )
    assert error.value.message_dict == {"duration_minutes": ["Give a time of day for a task that lasts."]}
    assert not Task.objects.exists()


# --------------------------------------------------------------------------- close one, open the next


def test_completing_logs_the_activity_and_plans_the_next_in_one_step(department, book):
    deal = DealFactory(client=book.north, owner=department.rep_north)
    task = TaskFactory(
        client=book.north, owner=department.rep_north, contact=book.north_contact, deal=deal, kind="meeting"
    )
    with pytest.raises(ValidationError) as error:
        services.task_complete(by=department.rep_north, task=task)
    assert error.value.message_dict == {"outcome": ["Say how it went."]}
    activity, planned = services.task_complete(
        by=department.rep_north,
        task=task,
        outcome=" They want a pilot. ",
        next_task={"kind": "call", "title": "Agree the pilot", "due_date": today() + DAY, "due_time": None},
    )
    task.refresh_from_db()
    assert (task.status, task.done_by, task.activity) == ("done", department.rep_north, activity)
    assert task.done_at is not None
    assert (activity.kind, activity.outcome, activity.contact, activity.deal, activity.owner) == (
        "meeting",
        "They want a pilot.",
        book.north_contact,
        deal,
        department.rep_north,
    )
    assert (planned.kind, planned.title, planned.due_date, planned.owner, planned.contact, planned.deal) == (
        "call",
        "Agree the pilot",
        today() + DAY,
        department.rep_north,
        book.north_contact,
        deal,
    )
    with pytest.raises(Conflict):  # a second tap logs nothing twice
        services.task_complete(by=department.rep_north, task=task, outcome="Again")
    assert Activity.objects.filter(client=book.north).count() == 2


def test_an_invalid_next_task_leaves_everything_as_it_was(department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="todo")
    with pytest.raises(ValidationError) as error:
        services.task_complete(
            by=department.rep_north, task=task, next_task={"title": "", "due_date": today() - DAY}
        )
    assert error.value.message_dict == {
        "next_title": ["Say what is to be done."],
        "next_due_date": ["Choose today or a later date."],
    }
    task.refresh_from_db()
    assert task.status == "open"
    assert Activity.objects.filter(client=book.north).count() == 1  # the book's own
    # A to-do needs no outcome: its title is logged.
    activity, planned = services.task_complete(by=department.rep_north, task=task)
    assert (activity.kind, activity.outcome, planned) == ("note", task.title, None)


def test_snooze_cancel_and_delete_follow_the_rules(department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, due_time=datetime.time(15, 30))
    task = services.task_snooze(by=department.rep_north, task=task, until="tomorrow")
    assert (task.due_date, task.due_time) == (today() + DAY, datetime.time(15, 30))
    task = services.task_snooze(by=department.assistant_north, task=task, until="next_week")
    assert task.due_date == today() + 7 * DAY
    with pytest.raises(ValidationError):
        services.task_snooze(by=department.rep_north, task=task, until="never")
    with pytest.raises(Http404):
        services.task_cancel(by=department.rep_south, task=task)
    with pytest.raises(PermissionDenied):
        services.task_cancel(by=department.analyst, task=task)
    with pytest.raises(PermissionDenied):  # an assistant cancels, but does not delete
        services.task_delete(by=department.assistant_north, task=task)
    cancelled = services.task_cancel(by=department.assistant_north, task=task)
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", department.assistant_north)
    with pytest.raises(Conflict):
        services.task_snooze(by=department.rep_north, task=task, until="tomorrow")
    services.task_delete(by=department.lead_north, task=task)
    assert not Task.objects.exists()


# --------------------------------------------------------------------------- pages


def test_my_day_shows_overdue_today_by_time_and_upcoming(client, department, book):
    TaskFactory(client=book.north, owner=department.rep_north, title="Late one", due_date=today() - 2 * DAY)
    TaskFactory(
        client=book.north,
        owner=department.rep_north,
        title="At three",
        due_date=today(),
        due_time=datetime.time(15),
    )
    TaskFactory(
        client=book.north,
        owner=department.rep_north,
        title="At nine",
        due_date=today(),
        due_time=datetime.time(9),
    )
    TaskFactory(client=book.north, owner=department.rep_north, title="Next week", due_date=today() + 7 * DAY)
    TaskFactory(client=book.north, owner=department.rep_north, title="Done one", status=TaskStatus.DONE)
    TaskFactory(client=book.south, owner=department.rep_south, title="Not mine")
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:my_day")).content.decode()
    overdue = page[page.index('data-testid="overdue"') : page.index('data-testid="today"')]
    due_today = page[page.index('data-testid="today"') : page.index('data-testid="upcoming"')]
    upcoming = page[page.index('data-testid="upcoming"') :]
    assert "Late one" in overdue and "overdue" in overdue
    assert due_today.index("09:00") < due_today.index("At nine") < due_today.index("At three")
    assert "Next week" in upcoming
    assert "Done one" not in page and "Not mine" not in page
    assert 'href="/tasks/"' in page  # the navigation's "My day"
    assert (
        client.get(reverse("tasks:my_day"), {"kind": "meeting"})
        .content.decode()
        .count('class="step task-row')
        == 0
    )


def test_my_day_is_empty_with_a_hint(client, department):
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:my_day")).content.decode()
    assert "Nothing overdue." in page and "Nothing due today." in page and "Nothing planned ahead." in page


def test_my_days_overdue_comes_a_page_at_a_time_with_its_count(client, department, book):
    """A backlog does not grow the page: 27 overdue tasks show 25, the oldest first, under the
    section's whole count, with a link to the rest that keeps the other sections as they are."""
    for number in range(27):
        TaskFactory(
            client=book.north,
            owner=department.rep_north,
            title=f"Late {number:02d}",
            due_date=today() - (number + 1) * DAY,
        )
    TaskFactory(client=book.north, owner=department.rep_north, title="Now", due_date=today())
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:my_day"), {"kind": "call"}).content.decode()
    overdue = page[page.index('data-testid="overdue"') : page.index('data-testid="today"')]
    assert '<h2 id="overdue-title">Overdue <span class="muted">27</span></h2>' in overdue
    assert overdue.count('class="step task-row') == 25
    assert "Late 26" in overdue and "Late 02" in overdue and "Late 01" not in overdue
    assert 'href="?kind=call&amp;overdue_page=2#overdue-title"' in overdue  # back at the section
    second = client.get(reverse("tasks:my_day"), {"kind": "call", "overdue_page": 2}).content.decode()
    overdue = second[second.index('data-testid="overdue"') : second.index('data-testid="today"')]
    assert overdue.count('class="step task-row') == 2 and "Late 01" in overdue and "Late 00" in overdue
    assert 'href="?kind=call&amp;overdue_page=1#overdue-title"' in overdue
    assert "Now" in second[second.index('data-testid="today"') :]
    # every section is shown whichever page another one is at
    for _number in range(21):
        TaskFactory(client=book.north, owner=department.rep_north, due_date=today() + 3 * DAY)
    later = client.get(reverse("tasks:my_day"), {"kind": "call", "page": 2}).content.decode()
    assert later.count('class="step task-row') == 25 + 1 + 1  # overdue's first page, today, upcoming's 21st


def test_my_day_repeats_no_id_and_renders_no_completion_form_until_one_is_opened(client, department, book):
    for number in range(3):
        TaskFactory(client=book.north, owner=department.rep_north, title=f"Call {number}", due_date=today())
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:my_day")).content.decode()
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(name for name in ids if ids.count(name) > 1)
    assert page.count('class="step task-row') == 3
    assert 'name="outcome"' not in page and page.count('hx-trigger="toggle once"') == 3


def test_a_rows_done_loads_its_form_drawn_as_the_row_was(client, department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="call", title="Call Olga")
    client.force_login(department.rep_north)
    url = reverse("tasks:complete", args=[task.pk])
    answer = client.get(url, {"next": "/tasks/?kind=call", "show_client": "0", "bulk": "1"}, **HTMX)
    assert answer.status_code == 200
    form = answer.content.decode()
    assert form.lstrip().startswith(f'<form method="post" action="{url}" class="task-complete-form"')
    assert f'id="complete-{task.pk}-outcome"' in form and 'id="id_outcome"' not in form
    assert '<input type="hidden" name="next" value="/tasks/?kind=call">' in form
    hidden = '<input type="hidden" name="show_client" value="0"><input type="hidden" name="bulk" value="1">'
    assert hidden in form
    assert 'name="show_owner"' not in form
    # somewhere else than this site is not a page to come back to
    elsewhere = client.get(url, {"next": "https://example.com/"}, **HTMX).content.decode()
    assert '<input type="hidden" name="next" value="/tasks/">' in elsewhere
    # opened without htmx (no script): the task's page with the form open
    page = client.get(url)
    assert page.status_code == 200 and '<details class="task-complete" open>' in page.content.decode()
    services.task_cancel(by=department.rep_north, task=task)
    closed = client.get(url, **HTMX)
    assert closed.status_code == 200
    note = '<p class="message small" role="status">This task is done or cancelled.</p>'
    assert closed.content.decode() == note


def test_a_rows_form_is_not_given_to_who_may_not_close_it(client, department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="call")
    client.force_login(department.rep_south)
    assert client.get(reverse("tasks:complete", args=[task.pk]), **HTMX).status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_one_tap_complete_with_outcome_and_next_task_over_htmx(client, department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="call", title="Call Olga")
    client.force_login(department.rep_north)
    url = reverse("tasks:complete", args=[task.pk])
    response = client.post(url, {"outcome": ""}, **HTMX)
    assert response.status_code == 400
    assert "Outcome: Say how it went." in response.content.decode()
    due = today() + 2 * DAY
    response = client.post(
        url,
        {
            "outcome": "Will sign",
            "next_kind": "meeting",
            "next_title": "Sign",
            "next_due_date": due.isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li class="step task-row kind-call done" id="task-{task.pk}"')
    assert "Done and logged; next: Sign on" in page
    assert Task.objects.get(title="Sign").due_date == due
    assert Activity.objects.filter(outcome="Will sign", kind="call").count() == 1
    response = client.post(url, {"outcome": "Again"}, **HTMX)
    assert response.status_code == 409


def test_my_days_row_keeps_its_checkbox_and_owner_when_answered_in_place(client, department, book):
    """The row drawn again after a refused completion or a snooze lost its bulk checkbox and
    the owner's name My day showed: the forms now carry how the page drew the row."""
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="call", title="Call Olga")
    client.force_login(department.lead_north)
    page = client.get(reverse("tasks:my_day"), {"person": department.rep_north.pk}).content.decode()
    assert 'name="bulk" value="1"' in page and 'name="show_owner" value="1"' in page
    posted = {"outcome": "", "show_client": "1", "bulk": "1", "show_owner": "1"}
    refused = client.post(reverse("tasks:complete", args=[task.pk]), posted, **HTMX)
    assert refused.status_code == 400
    row = refused.content.decode()
    assert f'name="ids" value="{task.pk}"' in row and department.rep_north.full_name in row
    posted = {"until": "tomorrow", "show_client": "1", "bulk": "1", "show_owner": "1"}
    snoozed = client.post(reverse("tasks:snooze", args=[task.pk]), posted, **HTMX).content.decode()
    assert f'name="ids" value="{task.pk}"' in snoozed


def test_snooze_and_cancel_pages(client, department, book):
    task = TaskFactory(client=book.north, owner=department.rep_north)
    client.force_login(department.rep_north)
    response = client.post(reverse("tasks:snooze", args=[task.pk]), {"until": "next_week"}, **HTMX)
    assert response.status_code == 200 and "Moved to" in response.content.decode()
    assert Task.objects.get(pk=task.pk).due_date == today() + 7 * DAY
    response = client.post(reverse("tasks:snooze", args=[task.pk]), {"until": "someday"}, **HTMX)
    assert response.status_code == 400
    response = client.post(reverse("tasks:cancel", args=[task.pk]))
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).status == "cancelled"
    client.force_login(department.rep_south)
    assert client.post(reverse("tasks:cancel", args=[task.pk])).status_code == 404
    assert client.get(reverse("tasks:detail", args=[task.pk])).status_code == 404


def test_create_and_edit_pages(client, department, book):
    client.force_login(department.lead_north)
    url = reverse("tasks:create", args=[book.north.pk])
    page = client.get(url).content.decode()
    assert 'name="owner"' in page and department.rep_north.full_name in page
    response = client.post(
        url,
        {
            "kind": "visit",
            "title": "Visit the plant",
            "due_date": (today() + DAY).isoformat(),
            "due_time": "10:30",
            "duration_minutes": "90",
            "owner": department.rep_north.pk,
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    assert (task.owner, task.due_time, task.duration_minutes) == (
        department.rep_north,
        datetime.time(10, 30),
        90,
    )
    response = client.post(
        reverse("tasks:edit", args=[task.pk]),
        {"kind": "visit", "title": "", "due_date": "0001-01-01", "owner": department.rep_south.pk},
    )
    assert response.status_code == 400
    assert Task.objects.get().title == "Visit the plant"
    client.force_login(department.rep_south)
    assert client.get(url).status_code == 404
    client.force_login(department.analyst)
    assert client.get(url).status_code == 403


def test_client_page_lists_open_tasks_and_the_deal_is_flagged_without_one(client, department, book):
    deal = DealFactory(client=book.north, owner=department.rep_north, title="Fleet")
    client.force_login(department.rep_north)
    deal_page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "No open task" in deal_page
    TaskFactory(client=book.north, owner=department.rep_north, deal=deal, title="Call about the fleet")
    deal_page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "No open task" not in deal_page and "Call about the fleet" in deal_page
    client_page = client.get(reverse("clients:detail", args=[book.north.pk])).content.decode()
    assert "Call about the fleet" in client_page
    assert client.get("/clients/next-steps/").status_code == 301


def test_without_script_a_rows_done_leads_to_the_task_and_back_to_the_page_it_was_on(
    client, department, book
):
    task = TaskFactory(client=book.north, owner=department.rep_north, kind="call", title="Call Olga")
    client.force_login(department.rep_north)
    page = client.get(reverse("tasks:my_day"), {"kind": "call"}).content.decode()
    link = f'href="/tasks/{task.pk}/complete/?next=/tasks/%3Fkind%3Dcall"'
    assert link in page
    form = client.get(f"/tasks/{task.pk}/complete/", {"next": "/tasks/?kind=call"}).content.decode()
    assert '<input type="hidden" name="next" value="/tasks/?kind=call">' in form
    done = client.post(f"/tasks/{task.pk}/complete/", {"outcome": "Spoke", "next": "/tasks/?kind=call"})
    assert (done.status_code, done["Location"]) == (302, "/tasks/?kind=call")


def test_a_task_reassigned_after_it_was_read_is_not_deleted_by_its_former_owner(department):
    """The delete checks the task as it is now, not as the page read it: taken over by
    another rep meanwhile, the former owner's delete is refused and the task stays."""
    task = TaskFactory(owner=department.rep_north)
    read = Task.objects.get(pk=task.pk)
    Task.objects.filter(pk=task.pk).update(owner=department.rep_north_2)
    with pytest.raises((Http404, PermissionDenied)):
        services.task_delete(by=department.rep_north, task=read)
    assert Task.objects.filter(pk=task.pk, owner=department.rep_north_2).exists()
