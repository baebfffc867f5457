"""Activities on the client page: the timeline, the quick log (with the next task), edit,
delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import ensure_can_write, get_visible_or_404
from clients import rules, selectors, services
from clients.forms import ActivityLogForm
from clients.models import Activity
from clients.views.common import TIMELINE_PER_PAGE, activity_panel_context, client_page_context, posted
from core.forms import apply_service_errors, edit_page


@login_required
@require_GET
def client_timeline(request, pk: int):
    """Older entries of the timeline, a page at a time (the "show older" button)."""
    client = selectors.client_of_records(viewer=request.user, pk=pk)
    permissions = rules.client_permissions(viewer=request.user, client=client)
    timeline = Paginator(
        selectors.client_timeline(viewer=request.user, client=client), TIMELINE_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/partials/timeline_page.html",
        {"client": client, "timeline": timeline, "permissions": permissions},
    )


@login_required
@require_POST
def activity_log(request, pk: int):
    """The quick log form. With htmx the activity panel is swapped in place (fresh form,
    the new entry on top, and the open tasks refreshed); without, a redirect."""
    client = selectors.client_of_records(viewer=request.user, pk=pk)
    form = ActivityLogForm(request.POST, client=client, user=request.user)
    if form.is_valid():
        try:
            services.activity_log_with_next_task(
                by=request.user, client=client, next_task=form.next_task(), **form.service_kwargs()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Logged."))
                return redirect("clients:detail", pk=client.pk)
            # the fresh form offers the same contacts and deals: logging changed neither
            context = activity_panel_context(request, client, choices_from=form)
            context["just_logged"] = True
            return render(request, "clients/partials/activity_panel.html", context)
    if request.htmx:
        return render(
            request,
            "clients/partials/activity_panel.html",
            activity_panel_context(request, client, form=form),
            status=400,
        )
    # the whole page again, with everything it shows of the client
    context = client_page_context(request, selectors.client_get(viewer=request.user, pk=pk), form=form)
    return render(request, "clients/client_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_visible_or_404(Activity.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, activity)

    def reopen(data):
        current = get_visible_or_404(Activity.objects.select_related("client"), request.user, pk=pk)
        return ActivityLogForm(data, client=current.client, user=request.user, instance=current)

    return edit_page(
        request,
        ActivityLogForm(posted(request), client=activity.client, user=request.user, instance=activity),
        values=lambda form: form.service_kwargs(),
        save=lambda edits, shown: services.activity_update(
            by=request.user, activity=activity, shown=shown, **edits
        ),
        reopen=reopen,
        done=reverse("clients:detail", args=[activity.client_id]),
        template="clients/activity_edit.html",
        context={"client": activity.client, "activity": activity},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk: int):
    activity = get_visible_or_404(Activity.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, activity)
    if request.method == "POST":
        services.activity_delete(by=request.user, activity=activity)
        messages.success(request, _("Activity deleted."))
        return redirect("clients:detail", pk=activity.client_id)
    return render(
        request,
        "clients/confirm_delete.html",
        {
            "client": activity.client,
            "object": activity,
            "cancel_url": reverse("clients:detail", args=[activity.client_id]),
        },
    )
