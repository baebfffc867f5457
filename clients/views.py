"""Client pages: the list, the client's 360 page, forms, next steps and import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.visibility import ensure_can_write, get_visible_or_404, may_own, sees_only_own
from clients import selectors, services
from clients.filters import ClientFilter, NextStepFilter
from clients.forms import (
    ActivityLogForm,
    ClientForm,
    ContactForm,
    HandOverForm,
    ImportForm,
    ReassignForm,
    StatusForm,
    apply_service_errors,
)
from clients.imports import IMPORT_COLUMNS, template_headers, template_help_rows
from clients.models import Activity, Client, Contact
from salesdept.exports import EXPORT_FORMATS, export_response

CLIENTS_PER_PAGE = 50
NEXT_STEPS_PER_PAGE = 50
TIMELINE_PER_PAGE = 20

SORTABLE_COLUMNS = ("name", "status", "tier", "industry", "territory", "owner", "last_activity")


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _sort_links(request, columns) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (ascending first, then
    descending) and the arrow showing the current order."""
    current = request.GET.get("ordering", "")
    links = {}
    for column in columns:
        query = request.GET.copy()
        query.pop("page", None)
        query["ordering"] = f"-{column}" if current == column else column
        arrow = "↑" if current == column else "↓" if current == f"-{column}" else ""
        links[column] = {"url": f"?{query.urlencode()}", "arrow": arrow}
    return links


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _posted(request):
    """The submitted data of a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _client_filter(request):
    queryset = selectors.client_list(viewer=request.user)
    filterset = ClientFilter(request.GET, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


# --------------------------------------------------------------------------- list and export


@login_required
@require_GET
def client_list(request):
    filterset, queryset = _client_filter(request)
    page = Paginator(queryset, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page"),
        "export_query": _query_without(request, "page"),
        "sort": _sort_links(request, SORTABLE_COLUMNS),
        "filters_people": not sees_only_own(request.user),
        "may_add": may_own(request.user, request.user, model=Client),
        "filtered": any(value for key, value in request.GET.items() if key not in ("page", "ordering")),
    }
    if request.htmx and request.htmx.target == "client-results":
        return render(request, "clients/partials/client_results.html", context)
    return render(request, "clients/client_list.html", context)


@login_required
@require_GET
def client_export(request, export_format: str):
    """The filtered list (all its rows, not one page) as CSV or XLSX. The first columns
    are the import's, so an exported file can be edited and imported elsewhere."""
    if export_format not in EXPORT_FORMATS:
        raise Http404
    _filterset, queryset = _client_filter(request)
    headers = [
        _("Name"),
        _("Legal name"),
        _("Tax id"),
        _("Industry"),
        _("Segment"),
        _("Territory"),
        _("Tier"),
        _("Status"),
        _("Source"),
        _("Owner (username)"),
        _("Owner name"),
        _("Team"),
        _("Phone"),
        _("Website"),
        _("Address"),
        _("Last activity"),
        _("Created"),
    ]

    def rows():
        for client in queryset.iterator(chunk_size=1000):
            yield [
                client.name,
                client.legal_name,
                client.tax_id,
                client.industry.name if client.industry else "",
                client.get_segment_display(),
                client.territory.name if client.territory else "",
                client.tier,
                client.get_status_display(),
                client.get_source_display(),
                client.owner.username,
                client.owner.full_name,
                client.owner.team.name if client.owner.team else "",
                client.phone,
                client.website,
                client.address,
                client.last_activity_at,
                client.created_at,
            ]

    return export_response(filename="clients", headers=headers, rows=rows(), export_format=export_format)


# --------------------------------------------------------------------------- the client page


def _activity_panel_context(request, client, *, form=None, permissions=None):
    permissions = permissions or selectors.client_permissions(viewer=request.user, client=client)
    timeline = Paginator(
        selectors.client_timeline(viewer=request.user, client=client), TIMELINE_PER_PAGE
    ).get_page(1)
    if form is None and permissions.records:
        form = ActivityLogForm(client=client, user=request.user)
    return {
        "client": client,
        "form": form,
        "timeline": timeline,
        "permissions": permissions,
        "can_complete": permissions.records,
        "open_next_steps": selectors.client_open_next_steps(client=client),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def client_detail(request, pk: int):
    client = selectors.client_get(viewer=request.user, pk=pk)
    permissions = selectors.client_permissions(viewer=request.user, client=client)
    context = _activity_panel_context(request, client, permissions=permissions)
    context.update(
        {
            "contacts": selectors.client_contacts(client=client),
            "deals": selectors.client_deals(viewer=request.user, client=client),
            "history": selectors.client_history(client=client),
            "status_form": StatusForm(),
        }
    )
    return render(request, "clients/client_detail.html", context)


@login_required
@require_GET
def client_timeline(request, pk: int):
    """Older entries of the timeline, a page at a time (the "show older" button)."""
    client = selectors.client_get(viewer=request.user, pk=pk)
    permissions = selectors.client_permissions(viewer=request.user, client=client)
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
    the new entry on top, and the open next steps refreshed); without, a redirect."""
    client = selectors.client_get(viewer=request.user, pk=pk)
    form = ActivityLogForm(request.POST, client=client, user=request.user)
    if form.is_valid():
        try:
            services.activity_log(by=request.user, client=client, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Logged."))
                return redirect("clients:detail", pk=client.pk)
            context = _activity_panel_context(request, client)
            context["just_logged"] = True
            return render(request, "clients/partials/activity_panel.html", context)
    if request.htmx:
        return render(
            request,
            "clients/partials/activity_panel.html",
            _activity_panel_context(request, client, form=form),
            status=400,
        )
    context = _activity_panel_context(request, client, form=form)
    context.update(
        {
            "contacts": selectors.client_contacts(client=client),
            "deals": selectors.client_deals(viewer=request.user, client=client),
            "history": selectors.client_history(client=client),
            "status_form": StatusForm(),
        }
    )
    return render(request, "clients/client_detail.html", context, status=400)


# --------------------------------------------------------------------------- create / edit


@login_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    if not may_own(request.user, request.user, model=Client):
        raise PermissionDenied(_("You may not create clients."))
    owners = selectors.assignable_owners(viewer=request.user)
    form = ClientForm(_posted(request), owners=owners, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Client “%(name)s” created.") % {"name": client.name})
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    ensure_can_write(request.user, client)
    form = ClientForm(_posted(request), instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(by=request.user, client=client, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_form.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_reassign(request, pk: int):
    client = get_visible_or_404(Client.objects.select_related("owner"), request.user, pk=pk)
    services.ensure_can_reassign(request.user, client)
    owners = selectors.assignable_owners(viewer=request.user).exclude(pk=client.owner_id)
    form = ReassignForm(_posted(request), owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_reassign(
                by=request.user, client=client, owner=form.cleaned_data["owner"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(client)s now belongs to %(owner)s.") % {"client": client, "owner": client.owner}
            )
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/client_reassign.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_hand_over(request, pk: int):
    """An SDR hands a qualified lead over to a rep of the team."""
    client = get_visible_or_404(Client.objects.select_related("owner"), request.user, pk=pk)
    services.ensure_can_hand_over(request.user, client)
    form = HandOverForm(
        _posted(request), candidates=services.hand_over_candidates(by=request.user, client=client)
    )
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_hand_over(client=client, to=form.cleaned_data["to"], by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(client)s handed over to %(owner)s.") % {"client": client, "owner": client.owner},
            )
            if Client.objects.visible_to(request.user).filter(pk=client.pk).exists():
                return redirect("clients:detail", pk=client.pk)
            return redirect("clients:list")
    return render(
        request,
        "clients/client_hand_over.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def client_status(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("clients:detail", pk=client.pk)
    try:
        client = services.client_status_move(
            by=request.user, client=client, status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Status: %(status)s.") % {"status": client.get_status_display()})
    return redirect("clients:detail", pk=client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    ensure_can_write(request.user, client)
    error = None
    if request.method == "POST":
        try:
            services.client_delete(by=request.user, client=client)
        except ValidationError as failure:
            error = failure.messages[0]
        else:
            messages.success(request, _("Client “%(name)s” deleted.") % {"name": client.name})
            return redirect("clients:list")
    counts = {"contacts": client.contacts.count(), "activities": client.activities.count()}
    return render(
        request,
        "clients/confirm_delete.html",
        {
            "client": client,
            "object": client,
            "error": error,
            "counts": counts,
            "cancel_url": reverse("clients:detail", args=[client.pk]),
        },
        status=400 if error else 200,
    )


# --------------------------------------------------------------------------- contacts


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk: int):
    client = get_visible_or_404(Client.objects.all(), request.user, pk=pk)
    services.ensure_can_write_client_records(request.user, client)
    form = ContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(by=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect("clients:detail", pk=client.pk)
    return render(
        request,
        "clients/contact_form.html",
        {"form": form, "client": client, "contact": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = get_visible_or_404(Contact.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, contact)
    form = ContactForm(_posted(request), instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(by=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", pk=contact.client_id)
    return render(
        request,
        "clients/contact_form.html",
        {"form": form, "client": contact.client, "contact": contact},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk: int):
    contact = get_visible_or_404(Contact.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, contact)
    if request.method == "POST":
        services.contact_delete(by=request.user, contact=contact)
        messages.success(request, _("Contact “%(name)s” deleted.") % {"name": contact.name})
        return redirect("clients:detail", pk=contact.client_id)
    return render(
        request,
        "clients/confirm_delete.html",
        {
            "client": contact.client,
            "object": contact,
            "cancel_url": reverse("clients:detail", args=[contact.client_id]),
        },
    )


# --------------------------------------------------------------------------- activities


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_visible_or_404(Activity.objects.select_related("client"), request.user, pk=pk)
    ensure_can_write(request.user, activity)
    form = ActivityLogForm(_posted(request), client=activity.client, user=request.user, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(by=request.user, activity=activity, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", pk=activity.client_id)
    return render(
        request,
        "clients/activity_edit.html",
        {"form": form, "client": activity.client, "activity": activity},
        status=400 if form.errors else 200,
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


@login_required
@require_POST
def next_step_complete(request, pk: int):
    """Tick a next step off. With htmx the row is replaced by its done state."""
    activity = get_visible_or_404(Activity.objects.all(), request.user, pk=pk)
    try:
        activity = services.next_step_complete(by=request.user, activity=activity)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=400)
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        activity = Activity.objects.select_related("client", "contact", "owner").get(pk=activity.pk)
        return render(request, "clients/partials/next_step_done.html", {"step": activity})
    return redirect(_safe_next(request, reverse("clients:next_steps")))


# --------------------------------------------------------------------------- next steps


@login_required
@require_GET
def next_steps(request):
    """The viewer's open next steps, overdue first, each completable in place."""
    data = request.GET.copy()
    if "person" not in data:
        data["person"] = str(request.user.pk)
    queryset = selectors.next_step_list(viewer=request.user)
    filterset = NextStepFilter(data, queryset=queryset, request=request)
    filtered = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(filtered, NEXT_STEPS_PER_PAGE).get_page(request.GET.get("page"))
    whose = NextStepFilter(data, queryset=queryset, request=request)
    whose.filters.pop("due")
    counts = selectors.next_step_counts(whose.qs if whose.is_valid() else queryset.none())
    writable_ids = set(
        Activity.objects.writable_by(request.user)
        .filter(pk__in=[step.pk for step in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "clients/next_steps.html",
        {
            "filter": filterset,
            "page": page,
            "query": _query_without(request, "page"),
            "counts": counts,
            "filters_people": not sees_only_own(request.user),
            "today": timezone.localdate(),
            "writable_ids": writable_ids,
        },
    )


# --------------------------------------------------------------------------- import


@login_required
@require_http_methods(["GET", "POST"])
def client_import(request):
    if not may_own(request.user, request.user, model=Client):
        raise PermissionDenied(_("You may not create clients."))
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.client_import(
            by=request.user, file=form.cleaned_data["file"], check_only=form.cleaned_data["check_only"]
        )
        if result.ok and not result.checked_only:
            messages.success(
                request,
                _("Imported %(clients)d clients and %(contacts)d contacts.")
                % {"clients": len(result.created), "contacts": result.contacts_created},
            )
        status = 200 if result.ok else 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "clients/import.html",
        {"form": form, "result": result, "columns": IMPORT_COLUMNS},
        status=status,
    )


@login_required
@require_GET
def import_template(request, export_format: str):
    """An empty file with the import's columns (the XLSX adds a sheet explaining them)."""
    if export_format == "csv":
        return export_response(
            filename="clients-import-template", headers=template_headers(), rows=[], export_format="csv"
        )
    if export_format != "xlsx":
        raise Http404
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "clients"
    sheet.append(template_headers())
    help_sheet = workbook.create_sheet("help")
    help_sheet.append([_("Column"), _("Meaning"), _("What to write")])
    for row in template_help_rows():
        help_sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="clients-import-template.xlsx"'
    return response
