"""Overdue-debt alerts: the list (with its export), one alert, acknowledging it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.visibility import get_visible_or_404
from core.bulk_views import bulk_context
from core.exports import EXPORT_FORMATS
from core.forms import apply_service_errors
from core.http import query_without
from core.tables import export_table, table_for_request
from reports.filters import OverdueAlertFilter
from reports.forms import AcknowledgeForm
from reports.models import AlertStatus
from reports.rules import may_acknowledge_alert
from reports.selectors import alert_list, alert_summary
from reports.services.alerts import alert_acknowledge
from reports.tables import AlertTable
from reports.views.common import PAGE_SIZE
from targets.models import OverdueReason, Payment


def _without(data, *names) -> str:
    query = data.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def alerts(request):
    viewer = request.user
    data = request.GET.copy()
    data.setdefault("status", AlertStatus.OPEN)
    base = alert_list(viewer=viewer, with_may_acknowledge=True)
    filterset = OverdueAlertFilter(data, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        return export_table(AlertTable, request, queryset, export_format)
    table = table_for_request(AlertTable, request, queryset, per_page=PAGE_SIZE)
    context = {
        "filter": filterset,
        "table": table,
        "page": table.page,
        "alerts": [row.record for row in table.page.object_list],
        "query": query_without(request, "page"),
        "export_query": query_without(request, "page", "export"),
        "summary": alert_summary(viewer=viewer),
        "ack_form": AcknowledgeForm(),
        # "all matching" means the filters as shown, the open alerts by default included
        **bulk_context(
            request,
            "alerts",
            table=table,
            total=table.paginator.count,
            filter_query=_without(data, "page", "export"),
        ),
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
