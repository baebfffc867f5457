"""Overdue-debt alerts: the list (with its export), one alert, acknowledging it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.visibility import get_visible_or_404
from core.exports import EXPORT_FORMATS, export_response
from core.forms import apply_service_errors
from core.http import query_without
from reports.filters import OverdueAlertFilter
from reports.forms import AcknowledgeForm
from reports.models import AlertStatus
from reports.rules import may_acknowledge_alert
from reports.selectors import alert_list, alert_summary
from reports.services.alerts import alert_acknowledge
from reports.views.common import PAGE_SIZE
from targets.models import OverdueReason, Payment

ALERT_SORTS = {
    "days": "days_overdue",
    "outstanding": "outstanding",
    "due": "due_date",
    "client": "client__name",
}


@login_required
def alerts(request):
    viewer = request.user
    data = request.GET.copy()
    data.setdefault("status", AlertStatus.OPEN)
    base = alert_list(viewer=viewer, with_may_acknowledge=True)
    filterset = OverdueAlertFilter(data, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    sort = request.GET.get("sort") or "-days"
    field = ALERT_SORTS.get(sort.lstrip("-"))
    if field is None:
        sort, field = "-days", ALERT_SORTS["days"]
    queryset = queryset.order_by(f"{'-' if sort.startswith('-') else ''}{field}", "pk")

    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_response(
            filename="overdue-alerts",
            headers=[
                str(header)
                for header in (
                    _("Client"),
                    _("Deal"),
                    _("Owner"),
                    _("Due date"),
                    _("Days overdue"),
                    _("Bucket"),
                    _("Outstanding"),
                    _("Latest reason"),
                    _("Promised date"),
                    _("Status"),
                    _("Level"),
                    _("Acknowledged"),
                )
            ],
            rows=(
                [
                    a.client.name,
                    a.installment.deal.title,
                    a.installment.deal.owner.full_name,
                    a.due_date,
                    a.days_overdue,
                    a.bucket,
                    a.outstanding,
                    a.reason,
                    a.promised_date,
                    a.get_status_display(),
                    a.get_level_display(),
                    a.acknowledgement,
                ]
                for a in queryset.iterator(chunk_size=500)
            ),
            export_format=export_format,
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without(request, "page"),
        "export_query": query_without(request, "page", "export"),
        "sort": sort,
        "summary": alert_summary(viewer=viewer),
        "ack_form": AcknowledgeForm(),
    }
    template = (
        "reports/partials/alert_results.html"
        if request.htmx and request.htmx.target == "alert-results"
        else "reports/alerts.html"
    )
    return render(request, template, context)


@login_required
def alert_detail(request, pk: int, form: AcknowledgeForm | None = None):
    alert = get_visible_or_404(alert_list(viewer=request.user), request.user, pk=pk)
    installment = alert.installment
    context = {
        "alert": alert,
        "installment": installment,
        "deal": installment.deal,
        "reasons": OverdueReason.objects.visible_to(request.user)
        .filter(installment=installment)
        .select_related("recorded_by"),
        "payments": Payment.objects.visible_to(request.user)
        .filter(installment=installment)
        .select_related("recorded_by"),
        "notified": alert.notifications.select_related("recipient").order_by("created_at", "pk"),
        "may_acknowledge": may_acknowledge_alert(request.user, alert),
        "form": form or AcknowledgeForm(initial={"comment": alert.acknowledgement}),
    }
    return render(request, "reports/alert_detail.html", context, status=400 if form else 200)


@login_required
@require_POST
def alert_acknowledge_view(request, pk: int):
    form = AcknowledgeForm(request.POST)
    comment = request.POST.get("comment", "")
    try:
        alert = alert_acknowledge(by=request.user, alert_id=pk, comment=comment)
    except ValidationError as error:
        apply_service_errors(form, error)
        if request.htmx:
            alert = get_visible_or_404(
                alert_list(viewer=request.user, with_may_acknowledge=True), request.user, pk=pk
            )
            return render(
                request,
                "reports/partials/alert_row.html",
                {"alert": alert, "ack_form": form, "open_form": True},
                status=400,
            )
        return alert_detail(request, pk, form=form)
    if request.htmx:
        alert = alert_list(viewer=request.user, with_may_acknowledge=True).get(pk=alert.pk)
        return render(
            request,
            "reports/partials/alert_row.html",
            {"alert": alert, "ack_form": AcknowledgeForm()},
        )
    messages.success(request, _("Alert acknowledged."))
    return redirect("reports:alert", pk=alert.pk)
