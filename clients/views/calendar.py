"""The calendar page: week and month views of open tasks for me, my team (a lead) or a
person; events come from a JSON endpoint, a drag reschedules through task_update."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.visibility import get_visible_or_404, sees_only_own
from clients import selectors, services
from clients.filters import CalendarFilter
from clients.models import Task
from core.errors import Conflict

MAX_RANGE_DAYS = 62
DEFAULT_MINUTES = 30
# A head's "everyone" for a month was 7,600 tasks and 1.7 MB: no calendar shows that many
# readably. The feed answers the first EVENTS_SHOWN (by day and time) and one more, which
# tells the page to say there are more and to pick a team or a person.
EVENTS_SHOWN = 500


@login_required
@require_GET
def calendar_page(request):
    filterset = CalendarFilter(request.GET or {"person": request.user.pk}, request=request)
    filterset.is_valid()
    return render(
        request,
        "clients/tasks/calendar.html",
        {
            "filter": filterset,
            "filters_people": not sees_only_own(request.user),
            "events_url": reverse("tasks:calendar_events"),
            "events_shown": EVENTS_SHOWN,
        },
    )


def _day(value: str | None) -> datetime.date | None:
    if not value or len(value) > 40:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _event(task: Task, writable: set[int]) -> dict:
    event = {
        "id": str(task.pk),
        "title": f"{task.get_kind_display()}: {task.title} · {task.client.name}",
        "url": reverse("tasks:detail", args=[task.pk]),
        "editable": task.pk in writable,
        "classNames": [f"task-kind-{task.kind}"],
        "extendedProps": {"owner": task.owner.full_name, "moveUrl": reverse("tasks:move", args=[task.pk])},
    }
    if task.due_time is None:
        event.update(start=task.due_date.isoformat(), allDay=True)
    else:
        start = datetime.datetime.combine(task.due_date, task.due_time)
        end = start + datetime.timedelta(minutes=task.duration_minutes or DEFAULT_MINUTES)
        event.update(
            start=start.isoformat(timespec="minutes"), end=end.isoformat(timespec="minutes"), allDay=False
        )
    return event


@login_required
@require_GET
def calendar_events(request):
    """The open tasks due from ``start`` to ``end`` (at most two months) of the chosen person
    or team, as FullCalendar events. Bad dates or ids are a 400."""
    start, end = _day(request.GET.get("start")), _day(request.GET.get("end"))
    if start is None or end is None or not start <= end <= start + datetime.timedelta(days=MAX_RANGE_DAYS):
        return JsonResponse({"detail": _("Give a start and an end at most two months apart.")}, status=400)
    filterset = CalendarFilter(
        request.GET, queryset=selectors.open_task_list(viewer=request.user), request=request
    )
    if not filterset.is_valid():
        return JsonResponse({"detail": filterset.errors.get_json_data()}, status=400)
    tasks = selectors.tasks_due_between(filterset.qs, start, end, limit=EVENTS_SHOWN + 1)
    writable = set(
        Task.objects.writable_by(request.user)
        .filter(pk__in=[t.pk for t in tasks])
        .values_list("pk", flat=True)
    )
    return JsonResponse([_event(task, writable) for task in tasks], safe=False)


def _parse_move(data) -> tuple[datetime.date, datetime.time | None]:
    try:
        day = datetime.date.fromisoformat((data.get("due_date") or "")[:10])
        raw_time = data.get("due_time") or ""
        time = datetime.time.fromisoformat(raw_time[:5]) if raw_time else None
    except ValueError:
        raise ValidationError(
            {"due_date": _("Give a date (YYYY-MM-DD) and an optional time (HH:MM).")}
        ) from None
    return day, time


@login_required
@require_POST
def task_move(request, pk: int):
    """A drag in the calendar: the new day (and time, for a timed task). 400 for bad input,
    403/404 as everywhere, 409 when the task was completed or cancelled meanwhile."""
    try:
        task = get_visible_or_404(Task.objects.all(), request.user, pk=pk)
        day, time = _parse_move(request.POST)
        changes = {"due_date": day}
        if time is not None:
            changes["due_time"] = time
        task = services.task_update(by=request.user, task=task, **changes)
    except Http404:
        return JsonResponse({"detail": _("Not found.")}, status=404)
    except PermissionDenied as denied:
        return JsonResponse({"detail": str(denied)}, status=403)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    except Conflict as conflict:
        return JsonResponse({"detail": str(conflict)}, status=409)
    return JsonResponse(
        {"id": task.pk, "due_date": task.due_date.isoformat(), "updated": timezone.now().isoformat()}
    )
