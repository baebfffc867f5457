"""The rep's day: My day (overdue, today by time, upcoming), a task's page, planning and
changing a task, and closing one by logging what happened (with the next task)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import ensure_can_write, get_visible_or_404, sees_only_own
from clients import rules, selectors, services
from clients.calendar_feed import feed_ics, feed_owner, feed_tasks
from clients.filters import MyDayFilter
from clients.forms import DaySettingsForm, TaskCompleteForm, TaskForm
from clients.models import Task
from clients.views.common import posted
from core.bulk_views import bulk_context
from core.errors import Conflict
from core.forms import apply_service_errors, edit_page
from core.http import query_without, safe_next
from core.tables import CountedPaginator

UPCOMING_PER_PAGE = 20
SECTION_PER_PAGE = 25  # overdue and today a page at a time too: a backlog does not grow the page


def _writable_ids(user, tasks) -> set[int]:
    return set(
        Task.objects.writable_by(user).filter(pk__in=[task.pk for task in tasks]).values_list("pk", flat=True)
    )


def _section(request, tasks, per_page: int, param: str, count: int) -> dict:
    """One section of My day: a page of its tasks (counted by the page's one aggregate), its
    own page parameter and the query its page links keep."""
    page = CountedPaginator(tasks, per_page, count=count).get_page(request.GET.get(param))
    return {"page": page, "param": param, "query": query_without(request, param)}


@login_required
@require_GET
def my_day(request):
    """The viewer's open tasks (a lead or the head may pick someone, or everyone they see):
    overdue, today by time, then upcoming, each a page at a time."""
    data = request.GET.copy()
    if "person" not in data:
        data["person"] = str(request.user.pk)
    queryset = selectors.open_task_list(viewer=request.user)
    filterset = MyDayFilter(data, queryset=queryset, request=request)
    tasks = filterset.qs if filterset.is_valid() else queryset.none()
    today = timezone.localdate()
    counts = selectors.task_counts(tasks, today=today)
    overdue = _section(
        request, tasks.filter(due_date__lt=today), SECTION_PER_PAGE, "overdue_page", counts.overdue
    )
    due_today = _section(request, tasks.filter(due_date=today), SECTION_PER_PAGE, "today_page", counts.today)
    upcoming = _section(request, tasks.filter(due_date__gt=today), UPCOMING_PER_PAGE, "page", counts.later)
    shown = [
        *overdue["page"].object_list,
        *due_today["page"].object_list,
        *upcoming["page"].object_list,
    ]
    return render(
        request,
        "clients/tasks/my_day.html",
        {
            "filter": filterset,
            "overdue": overdue,
            "due_today": due_today,
            "upcoming": upcoming,
            "filters_people": not sees_only_own(request.user),
            "writable_ids": _writable_ids(request.user, shown),
            "today": today,
            # the rows' own checkboxes; My day's filters are not the task list's, so no
            # "all matching" here (the API's tasks/bulk/ takes the task list's filter)
            **bulk_context(request, "tasks"),
        },
    )


def _task_or_404(request, pk) -> Task:
    return get_visible_or_404(
        Task.objects.select_related("client", "contact", "deal", "owner"), request.user, pk=pk
    )


@login_required
@require_GET
def task_detail(request, pk: int):
    task = _task_or_404(request, pk)
    return render(request, "clients/tasks/task_detail.html", _detail_context(request, task))


def _detail_context(request, task: Task, form=None, *, open_form: bool = False) -> dict:
    permissions = rules.task_permissions(viewer=request.user, task=task)
    return {
        "task": task,
        "permissions": permissions,
        "writable_ids": {task.pk} if permissions.change else set(),
        "complete_form": form or TaskCompleteForm.for_task(task),
        "open_form": open_form,
        "today": timezone.localdate(),
        "deal_visible": task.deal_id is not None
        and selectors.linked_deals(viewer=request.user).filter(pk=task.deal_id).exists(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, client_pk: int):
    """Plan a task on a client (``?deal=`` preselects one of its deals)."""
    client = selectors.client_get(viewer=request.user, pk=client_pk)
    if not rules.may_write_client_records(request.user, client):
        raise PermissionDenied(_("You may not plan tasks for this client."))
    deal = (
        selectors.client_linked_deals(viewer=request.user, client=client)
        .filter(pk=_int_or_none(request.GET.get("deal")))
        .first()
    )
    form = TaskForm(
        posted(request),
        client=client,
        user=request.user,
        owners=rules.task_assignees(viewer=request.user),
        deal=deal,
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(by=request.user, client=client, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Task planned."))
            return redirect(safe_next(request, reverse("tasks:detail", args=[task.pk])))
    return render(
        request,
        "clients/tasks/task_form.html",
        {"form": form, "client": client, "task": None},
        status=400 if form.errors else 200,
    )


def _int_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = _task_or_404(request, pk)
    ensure_can_write(request.user, task)
    if request.method == "GET" and not task.is_open:
        # Nothing of a done or cancelled task changes: say so rather than open a form that fails.
        messages.info(request, _("This task is done or cancelled; it no longer changes."))
        return redirect("tasks:detail", pk=task.pk)

    def form_over(record: Task, data) -> TaskForm:
        return TaskForm(
            data,
            client=record.client,
            user=request.user,
            owners=rules.task_assignees(viewer=request.user),
            instance=record,
        )

    return edit_page(
        request,
        form_over(task, posted(request)),
        values=lambda form: form.service_kwargs(),
        save=lambda edits, shown: services.task_update(by=request.user, task=task, shown=shown, **edits),
        reopen=lambda data: form_over(_task_or_404(request, pk), data),
        done=reverse("tasks:detail", args=[task.pk]),
        template="clients/tasks/task_form.html",
        context={"client": task.client, "task": task},
    )


def _row(request, task: Task, *, status: int = 200, form=None, note: str = ""):
    """A task's row (My day, the client and deal panels) in its present state."""
    task = Task.objects.select_related("client", "contact", "owner", "deal").get(pk=task.pk)
    return render(
        request,
        "clients/tasks/task_row.html",
        {
            "task": task,
            "writable_ids": _writable_ids(request.user, [task]),
            "complete_form": form or TaskCompleteForm.for_task(task),
            "today": timezone.localdate(),
            "show_client": request.POST.get("show_client") != "0",
            # as the page drew it: My day's rows keep their checkbox and owner after an answer
            "bulk": request.POST.get("bulk") == "1",
            "show_owner": request.POST.get("show_owner") == "1",
            "note": note,
            "open_form": form is not None,
            # the page the row is on (its forms' own address is not a page to come back to)
            "next_url": safe_next(request, reverse("tasks:my_day")),
        },
        status=status,
    )


def _answer(request, task: Task, *, message: str, status: int = 200, form=None):
    if request.htmx:
        return _row(request, task, status=status, form=form, note=message)
    if status >= 400:
        messages.error(request, message)
    else:
        messages.success(request, message)
    return redirect(safe_next(request, reverse("tasks:my_day")))


def _complete_form_fragment(request, task: Task):
    """The completion form a row loads when its "Done" is opened (htmx), drawn as the row's
    page drew the row; opened as a page of its own, the task's page with the form open."""
    next_url = safe_next(request, reverse("tasks:my_day"))
    if not request.htmx:  # the row's link without script: the task's page, back where it was
        context = _detail_context(request, task, open_form=task.is_open)
        return render(request, "clients/tasks/task_detail.html", {**context, "next_url": next_url})
    if not task.is_open:
        return HttpResponse(
            format_html('<p class="message small" role="status">{}</p>', _("This task is done or cancelled."))
        )
    return render(
        request,
        "clients/tasks/complete_form.html",
        {
            "task": task,
            "form": TaskCompleteForm.for_task(task),
            "next_url": next_url,
            "show_client": request.GET.get("show_client") != "0",
            "bulk": request.GET.get("bulk") == "1",
            "show_owner": request.GET.get("show_owner") == "1",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_complete(request, pk: int):
    """Close a task: log the activity with its outcome and plan the next task, in one go
    (GET: the form)."""
    task = _task_or_404(request, pk)
    ensure_can_write(request.user, task)
    if request.method == "GET":
        return _complete_form_fragment(request, task)
    form = TaskCompleteForm.for_task(task, request.POST)
    if form.is_valid():
        try:
            _activity, planned = services.task_complete(
                by=request.user, task=task, outcome=form.cleaned_data["outcome"], next_task=form.next_task()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except Conflict as conflict:
            return _answer(request, task, message=str(conflict), status=409)
        else:
            note = _("Done and logged.")
            if planned is not None:
                note = _("Done and logged; next: %(title)s on %(date)s.") % {
                    "title": planned.title,
                    "date": formats.date_format(planned.due_date, "SHORT_DATE_FORMAT"),
                }
            return _answer(request, task, message=note)
    if request.htmx:
        return _row(request, task, status=400, form=form)
    return render(
        request,
        "clients/tasks/task_detail.html",
        _detail_context(request, task, form, open_form=True),
        status=400,
    )


@login_required
@require_POST
def task_snooze(request, pk: int):
    task = _task_or_404(request, pk)
    until = request.POST.get("until", "")
    try:
        task = services.task_snooze(by=request.user, task=task, until=until)
    except ValidationError as error:
        return _answer(request, task, message=" ".join(error.messages), status=400)
    except Conflict as conflict:
        return _answer(request, task, message=str(conflict), status=409)
    return _answer(
        request,
        task,
        message=_("Moved to %(date)s.") % {"date": formats.date_format(task.due_date, "SHORT_DATE_FORMAT")},
    )


@login_required
@require_POST
def task_cancel(request, pk: int):
    task = _task_or_404(request, pk)
    try:
        task = services.task_cancel(by=request.user, task=task)
    except Conflict as conflict:
        return _answer(request, task, message=str(conflict), status=409)
    return _answer(request, task, message=_("Task cancelled."))


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request, pk: int):
    task = _task_or_404(request, pk)
    rules.ensure_can_delete_task(request.user, task)
    if request.method == "POST":
        client_id = task.client_id
        services.task_delete(by=request.user, task=task)
        messages.success(request, _("Task deleted."))
        return redirect("clients:detail", pk=client_id)
    return render(
        request,
        "clients/confirm_delete.html",
        {"client": task.client, "object": task, "cancel_url": reverse("tasks:detail", args=[task.pk])},
    )


@require_GET
def calendar_feed(request, token: str):
    """The secret iCalendar address calendars subscribe to: no sign-in, the token is the key;
    an unknown or rotated token is 404."""
    user = feed_owner(token)
    if user is None:
        raise Http404(_("Not found."))
    body = feed_ics(user, feed_tasks(user), base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tasks.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def day_settings(request):
    """The calendar feed's address (copy, rotate) and the reminders."""
    day = services.day_settings_of(request.user)
    form = DaySettingsForm(posted(request) if request.POST.get("action") == "save" else None, instance=day)
    if request.method == "POST" and request.POST.get("action") == "rotate":
        services.feed_rotate(by=request.user)
        messages.success(request, _("A new address is made; the old one no longer works."))
        return redirect("tasks:settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.day_settings_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("tasks:settings")
    return render(
        request,
        "clients/tasks/day_settings.html",
        {"form": form, "feed_url": feed_url(request, day)},
        status=400 if form.errors else 200,
    )


def feed_url(request, day) -> str:
    return request.build_absolute_uri(reverse("calendar_feed", args=[day.feed_token]))
