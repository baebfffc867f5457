"""What the client page's views share: its context and the POST-or-None idiom."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import timezone

from accounts.visibility import writable_pks
from clients import rules, selectors
from clients.forms import ActivityLogForm, StatusForm, TaskCompleteForm

TIMELINE_PER_PAGE = 20
CLIENT_TASKS_SHOWN = 50


def posted(request):
    """The submitted data of a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def activity_panel_context(request, client, *, form=None, permissions=None, choices_from=None):
    permissions = permissions or rules.client_permissions(viewer=request.user, client=client)
    timeline = Paginator(
        selectors.client_timeline(viewer=request.user, client=client), TIMELINE_PER_PAGE
    ).get_page(1)
    if form is None and permissions.records:
        form = ActivityLogForm(client=client, user=request.user, choices_from=choices_from)
    return {
        "client": client,
        "form": form,
        "timeline": timeline,
        "permissions": permissions,
        "can_complete": permissions.records,
        "today": timezone.localdate(),
        **client_tasks_context(request, client),
    }


def client_tasks_context(request, client) -> dict:
    """The client's open tasks (whoever holds them), each completable by who may."""
    tasks = list(selectors.client_open_tasks(client=client)[:CLIENT_TASKS_SHOWN])
    return {
        "client_tasks": tasks,
        "writable_ids": writable_pks(request.user, tasks),
        "complete_form": TaskCompleteForm(),
    }


def deal_tasks_context(request, deal) -> dict:
    """A deal's open tasks for its page (the deals app shows them; tasks live here)."""
    tasks = list(selectors.deal_open_tasks(deal_id=deal.pk)[:CLIENT_TASKS_SHOWN])
    return {
        "deal_tasks": tasks,
        "writable_ids": writable_pks(request.user, tasks),
        "complete_form": TaskCompleteForm(),
    }


def client_page_context(request, client, *, permissions=None, form=None) -> dict:
    """Everything the client's 360 page shows that it does not load by URL (its deals come
    from the deals app, its receivables from targets)."""
    context = activity_panel_context(request, client, form=form, permissions=permissions)
    context.update(
        {
            "contacts": selectors.client_contacts(client=client),
            "history": selectors.client_history(client=client),
            "status_form": StatusForm(),
        }
    )
    return context
