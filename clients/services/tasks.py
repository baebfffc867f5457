"""Tasks: what a person will do for a client next, and closing one by logging what happened.

Completing a task logs its activity and may plan the next task, in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import lock_writable
from clients.models import (
    OUTCOME_REQUIRED_KINDS,
    TASK_ACTIVITY_KIND,
    Activity,
    Client,
    Contact,
    Task,
    TaskKind,
    TaskStatus,
)
from clients.rules import ensure_can_delete_task, ensure_can_write_client_records, task_owner_check
from clients.selectors import linked_deals
from clients.services.activities import MAX_OUTCOME_LENGTH, activity_log
from clients.services.checks import hold_client
from core.dates import check_planned, errors_of
from core.errors import Conflict
from core.filters import check_date_in_range
from core.locks import ensure_unchanged
from core.validation import full_clean

MAX_TITLE_LENGTH = Task._meta.get_field("title").max_length
MAX_NOTES_LENGTH = 5000
MAX_TASK_MINUTES = 24 * 60
TASK_FIELDS = (
    "kind",
    "title",
    "contact",
    "deal",
    "owner",
    "due_date",
    "due_time",
    "duration_minutes",
    "notes",
)
SNOOZE_CHOICES = ("tomorrow", "next_week")


def _not_open() -> Conflict:
    return Conflict(_("This task was already completed or cancelled; reload the page."))


def _text_errors(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data["kind"] not in TaskKind.values:
        errors["kind"] = _("Choose a valid kind of task.")
    title = data["title"]
    if not title:
        errors["title"] = _("Say what is to be done.")
    elif len(title) > MAX_TITLE_LENGTH:
        errors["title"] = _("Longer than %(limit)d characters.") % {"limit": MAX_TITLE_LENGTH}
    if len(data["notes"]) > MAX_NOTES_LENGTH:
        errors["notes"] = _("Longer than %(limit)d characters.") % {"limit": MAX_NOTES_LENGTH}
    return errors


def _link_errors(*, by: User, client: Client, contact, deal) -> dict[str, str]:
    errors: dict[str, str] = {}
    if contact is not None and contact.client_id != client.pk:
        errors["contact"] = _("This contact belongs to another client.")
    if deal is not None:
        if not linked_deals(viewer=by).filter(pk=deal.pk).exists():
            errors["deal"] = _("Select a valid choice. That choice is not one of the available choices.")
        elif deal.client_id != client.pk:
            errors["deal"] = _("This deal belongs to another client.")
    return errors


def _when_errors(data: dict[str, Any], previous_due) -> dict[str, str]:
    errors: dict[str, str] = {}
    minutes = data["duration_minutes"]
    if minutes is not None and not 0 < minutes <= MAX_TASK_MINUTES:
        errors["duration_minutes"] = _("A task lasts from 1 to %(limit)d minutes.") % {
            "limit": MAX_TASK_MINUTES
        }
    elif minutes is not None and data["due_time"] is None:
        errors["duration_minutes"] = _("Give a time of day for a task that lasts.")
    due = data["due_date"]
    if due is None:
        errors["due_date"] = _("Say when it is due.")
        return errors
    try:
        check_date_in_range(due)
    except ValidationError as error:
        errors["due_date"] = error.messages[0]
    else:
        errors.update(errors_of(check_planned, due, field="due_date", previous=previous_due))
    return errors


def _task_errors(*, by: User, client: Client, data: dict[str, Any], previous_due=None) -> dict[str, str]:
    errors = _text_errors(data)
    errors.update(_link_errors(by=by, client=client, contact=data["contact"], deal=data["deal"]))
    errors.update(_when_errors(data, previous_due))
    try:
        task_owner_check(by=by, owner=data["owner"], client=client)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    return errors


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    data["title"] = (data.get("title") or "").strip()
    data["notes"] = (data.get("notes") or "").strip()
    return data


@transaction.atomic
def task_create(
    *,
    by: User,
    client: Client,
    title: str,
    due_date: datetime.date | None,
    kind: str = TaskKind.CALL,
    due_time: datetime.time | None = None,
    duration_minutes: int | None = None,
    contact: Contact | None = None,
    deal=None,
    owner: User | None = None,
    notes: str = "",
) -> Task:
    """Plan a task on a client for ``owner`` (by default the one planning it). A lead plans
    for their team, an assistant for the team, the head for anybody; the owner must see the
    client. Due today or later."""
    client = ensure_can_write_client_records(by, client)
    hold_client(client)
    data = _clean(
        {
            "kind": kind,
            "title": title,
            "contact": contact,
            "deal": deal,
            "owner": owner or by,
            "due_date": due_date,
            "due_time": due_time,
            "duration_minutes": duration_minutes,
            "notes": notes,
        }
    )
    errors = _task_errors(by=by, client=client, data=data)
    if errors:
        raise ValidationError(errors)
    task = Task(client=client, created_by=by, **data)
    full_clean(task)
    task.save()
    return task


@transaction.atomic
def task_update(*, by: User, task: Task, shown: dict[str, Any] | None = None, **changes: Any) -> Task:
    """Change an open task (what, when, who). A task done or cancelled meanwhile is a
    Conflict (409): the drag in a calendar that was open for a while. ``shown``: what the
    edit page showed for the fields it changes; one someone else changed meanwhile is a
    Conflict too, and nothing is written."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_update() got unexpected fields: {sorted(unknown)}")
    task = lock_writable(by, task)
    if task.status != TaskStatus.OPEN:
        raise _not_open()
    if shown:
        ensure_unchanged(task, shown)
    data = {field: getattr(task, field) for field in TASK_FIELDS}
    data.update(changes)
    data = _clean(data)
    if data["due_time"] is None and "due_time" in changes and "duration_minutes" not in changes:
        data["duration_minutes"] = None
    errors = _task_errors(by=by, client=task.client, data=data, previous_due=task.due_date)
    if errors:
        raise ValidationError(errors)
    if data["due_date"] != task.due_date or data["due_time"] != task.due_time:
        task.reminded_at = None  # a moved task is reminded of again
    for field, value in data.items():
        setattr(task, field, value)
    full_clean(task)
    task.save()
    return task


def _next_task_errors(error: ValidationError) -> dict[str, str]:
    return {f"next_{field}": messages[0] for field, messages in error.message_dict.items()}


@transaction.atomic
def task_complete(
    *,
    by: User,
    task: Task,
    outcome: str = "",
    next_task: dict[str, Any] | None = None,
) -> tuple[Activity, Task | None]:
    """Close a task by logging what happened (an outcome is required for calls and meetings)
    and, when ``next_task`` is given (kind, title, due_date, due_time), plan the next one for
    the same owner, client, contact and deal. Everything or nothing: an invalid next task
    leaves the task open. Errors of the next task are keyed ``next_<field>``."""
    task = lock_writable(by, task)
    if task.status != TaskStatus.OPEN:
        raise _not_open()
    outcome = (outcome or "").strip()
    errors: dict[str, str] = {}
    if not outcome and task.kind in OUTCOME_REQUIRED_KINDS:
        errors["outcome"] = _("Say how it went.")
    elif len(outcome) > MAX_OUTCOME_LENGTH:
        errors["outcome"] = _("Longer than %(limit)d characters.") % {"limit": MAX_OUTCOME_LENGTH}
    if errors:
        raise ValidationError(errors)
    deal = task.deal if task.deal_id and linked_deals(viewer=by).filter(pk=task.deal_id).exists() else None
    activity = activity_log(
        by=by,
        client=task.client,
        kind=TASK_ACTIVITY_KIND[task.kind],
        contact=task.contact,
        deal=deal,
        duration_minutes=task.duration_minutes or 0,
        outcome=outcome or task.title,
    )
    now = timezone.now()
    task.status, task.done_by, task.done_at, task.activity = TaskStatus.DONE, by, now, activity
    task.save()
    planned = None
    if next_task is not None:
        try:
            planned = task_create(
                by=by,
                client=task.client,
                contact=task.contact,
                deal=deal,
                owner=task.owner,
                kind=next_task.get("kind") or TaskKind.CALL,
                title=next_task.get("title") or "",
                due_date=next_task.get("due_date"),
                due_time=next_task.get("due_time"),
            )
        except ValidationError as error:
            raise ValidationError(_next_task_errors(error)) from None
    return activity, planned


@transaction.atomic
def task_cancel(*, by: User, task: Task) -> Task:
    task = lock_writable(by, task)
    if task.status != TaskStatus.OPEN:
        raise _not_open()
    task.status, task.cancelled_by, task.cancelled_at = TaskStatus.CANCELLED, by, timezone.now()
    task.save()
    return task


def snooze_date(until: str, *, today: datetime.date | None = None) -> datetime.date:
    """Tomorrow, or the same weekday next week (from today)."""
    today = today or timezone.localdate()
    if until == "tomorrow":
        return today + datetime.timedelta(days=1)
    if until == "next_week":
        return today + datetime.timedelta(days=7)
    raise ValidationError({"until": _("Snooze to tomorrow or next week.")})


@transaction.atomic
def task_snooze(*, by: User, task: Task, until: str) -> Task:
    """Move an open task to tomorrow or next week, keeping its time of day."""
    return task_update(by=by, task=task, due_date=snooze_date(until))


@transaction.atomic
def task_delete(*, by: User, task: Task) -> None:
    ensure_can_delete_task(by, task)
    Task.objects.filter(pk=task.pk).delete()


@transaction.atomic
def activity_log_with_next_task(
    *, by: User, client: Client, next_task: dict[str, Any] | None = None, **activity: Any
) -> tuple[Activity, Task | None]:
    """Log an activity and, when ``next_task`` (title, due_date, kind, due_time) is given,
    plan the next task for the one logging it on the same contact and deal: one transaction.
    Errors of the next task are keyed ``next_<field>``."""
    logged = activity_log(by=by, client=client, **activity)
    planned = None
    if next_task is not None:
        try:
            planned = task_create(
                by=by,
                client=client,
                contact=logged.contact,
                deal=logged.deal,
                kind=next_task.get("kind") or TaskKind.CALL,
                title=next_task.get("title") or "",
                due_date=next_task.get("due_date"),
                due_time=next_task.get("due_time"),
            )
        except ValidationError as error:
            raise ValidationError(_next_task_errors(error)) from None
    return logged, planned
