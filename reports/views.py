"""Report pages, overdue alerts, notifications, report runs — and the role-aware home page.

Pages read the precomputed report rows (scoped by ``visible_to``) and draw their charts as
inline SVG; writes go through the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.visibility import can_write, get_visible_or_404
from clients.models import Segment
from core import charts
from core.exports import EXPORT_FORMATS, export_response
from reports.dashboard import dashboard_for
from reports.filters import (
    ActivityStatFilter,
    ConversionFilter,
    CoverageFilter,
    FulfilmentFilter,
    NotificationFilter,
    OverdueAlertFilter,
    RenewalFilter,
    ReportRowFilter,
)
from reports.forms import AcknowledgeForm, NotificationPreferenceForm, RunTriggerForm
from reports.models import (
    ActivityStat,
    AlertStatus,
    ConversionReport,
    CoverageReport,
    NotificationPreference,
    PeriodKind,
    PlanFulfilment,
    RenewalReport,
    ReportRow,
    RunStatus,
)
from reports.rules import may_trigger_runs
from reports.selectors import (
    alert_list,
    alert_summary,
    headline_scope,
    latest_period,
    not_renewed_deals,
    notification_list,
    report_rows,
    run_list,
    trend,
)
from reports.services.alerts import alert_acknowledge
from reports.services.common import Month
from reports.services.notifications import (
    notification_mark_read,
    notification_preference_update,
    notifications_mark_all_read,
)
from reports.services.runs import report_runs_trigger
from targets.models import OverdueReason, Payment

PAGE_SIZE = 50


def _money(value) -> str:
    return "—" if value is None else number_format(value, 2, force_grouping=True)


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def _month_label(day: datetime.date) -> str:
    """Short enough for twelve of them side by side: the year only in January."""
    return date_format(day, "M Y" if day.month == 1 else "M")


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _sorted(queryset: QuerySet, request, sorts: dict[str, str], default: str) -> tuple[QuerySet, str]:
    """Order by a whitelisted column (``?sort=won`` / ``?sort=-won``) within each scope group."""
    sort = request.GET.get("sort") or default
    field = sorts.get(sort.lstrip("-"))
    if field is None:
        sort, field = default, sorts[default.lstrip("-")]
    direction = "-" if sort.startswith("-") else ""
    return queryset.order_by("-period", "scope_order", f"{direction}{field}", "pk"), sort


# --- the generic report page ---------------------------------------------------------------


def _report_page(
    request,
    *,
    model: type[ReportRow],
    filterset_class: type[ReportRowFilter],
    template: str,
    title: str,
    sorts: dict[str, str],
    default_sort: str,
    export_columns: list[tuple[str, Callable]],
    extra: Callable[..., dict] | None = None,
    row_filters: dict | None = None,
    default_data: dict | None = None,
):
    viewer = request.user
    row_filters = row_filters or {}
    base = report_rows(model, viewer=viewer).filter(**row_filters)
    data = request.GET.copy()
    for name, value in (default_data or {}).items():
        data.setdefault(name, value)
    latest = latest_period(model, viewer=viewer, **row_filters)
    if latest and not any(data.get(name) for name in ("month", "period_from", "period_to", "day")):
        data["month"] = latest.strftime("%Y-%m")
    filterset = filterset_class(data, queryset=base, request=request)
    valid = filterset.is_valid()
    cleaned = filterset.form.cleaned_data if valid else {}
    rows, sort = _sorted(filterset.qs if valid else base.none(), request, sorts, default_sort)
    month = cleaned.get("month") or latest

    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        headers = [str(_("Period")), str(_("Scope")), str(_("Name"))] + [
            str(header) for header, _get in export_columns
        ]
        return export_response(
            filename=f"{model._meta.model_name}-{month:%Y-%m}" if month else model._meta.model_name,
            headers=headers,
            rows=(
                [row.period, row.get_scope_display(), row.scope_label]
                + [get(row) for _header, get in export_columns]
                for row in rows.iterator(chunk_size=500)
            ),
            export_format=export_format,
        )

    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = headline_scope(viewer, team=cleaned.get("team"), person=cleaned.get("owner"))
    headline = base.filter(period=month, **scope).first() if month else None
    context = {
        "title": title,
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page"),
        "sort": sort,
        "month": month,
        "headline": headline,
        "scope": scope,
        "export_query": _query_without(request, "page", "export"),
    }
    if extra is not None:
        context.update(
            extra(
                request=request,
                base=base,
                month=month,
                scope=scope,
                headline=headline,
                page=page,
                cleaned=cleaned,
            )
        )
    return render(request, template, context)


# --- conversion ------------------------------------------------------------------------------

CONVERSION_SORTS = {
    "name": "rep__last_name",
    "leads": "leads_created",
    "won": "won",
    "lost": "lost",
    "rate": "win_rate",
    "amount": "won_amount",
    "cycle": "avg_cycle_days",
}


def _conversion_extra(*, request, base, month, scope, headline, **_unused) -> dict:
    if month is None:
        return {}
    history = trend(ConversionReport, viewer=request.user, scope=scope, month=month)
    return {
        "funnel": charts.funnel_chart(headline.stages, title=_("Conversion funnel")) if headline else None,
        "trend_chart": charts.line_chart(
            [_month_label(start) for start, _row in history],
            [
                {
                    "name": _("Win rate"),
                    "css": "rp-a",
                    "values": [row.win_rate if row else None for _s, row in history],
                }
            ],
            title=_("Win rate by month"),
            top=100,
            suffix="%",
        ),
    }


@login_required
def conversion(request):
    return _report_page(
        request,
        model=ConversionReport,
        filterset_class=ConversionFilter,
        template="reports/conversion.html",
        title=_("Conversion"),
        sorts=CONVERSION_SORTS,
        default_sort="name",
        export_columns=[
            (gettext_lazy("Leads created"), lambda r: r.leads_created),
            (gettext_lazy("Won"), lambda r: r.won),
            (gettext_lazy("Lost"), lambda r: r.lost),
            # xgettext:no-python-format
            (gettext_lazy("Win rate, %"), lambda r: r.win_rate),
            (gettext_lazy("Won amount"), lambda r: r.won_amount),
            (gettext_lazy("Average cycle, days"), lambda r: r.avg_cycle_days),
            (
                gettext_lazy("Stage conversion"),
                lambda r: "; ".join(f"{s['name']} {s['reached']}→{s['rate'] or '—'}%" for s in r.stages),
            ),
        ],
        extra=_conversion_extra,
    )


# --- renewal ---------------------------------------------------------------------------------

RENEWAL_SORTS = {
    "name": "rep__last_name",
    "due": "due",
    "renewed": "renewed",
    "rate": "rate_by_count",
    "amount_rate": "rate_by_amount",
    "due_amount": "due_amount",
}


def _renewal_month(month: datetime.date) -> Month:
    """The month's renewals as known today (or at the month's end, for a past month)."""
    whole = Month.of(month)
    return Month(start=whole.start, end=whole.end, as_of=min(whole.end, timezone.localdate()))


def _not_renewed(request, month: datetime.date, cleaned: dict) -> QuerySet:
    deals = not_renewed_deals(viewer=request.user, month=_renewal_month(month))
    if cleaned.get("owner"):
        deals = deals.filter(owner=cleaned["owner"])
    elif cleaned.get("team"):
        deals = deals.filter(owner__team=cleaned["team"])
    return deals


def _renewal_extra(*, request, month, scope, cleaned, **_unused) -> dict:
    if month is None:
        return {}
    history = trend(RenewalReport, viewer=request.user, scope=scope, month=month)
    deals = Paginator(_not_renewed(request, month, cleaned), PAGE_SIZE).get_page(
        request.GET.get("deals_page")
    )
    return {
        "trend_chart": charts.line_chart(
            [_month_label(start) for start, _row in history],
            [
                {
                    "name": _("By count"),
                    "css": "rp-a",
                    "values": [r.rate_by_count if r else None for _s, r in history],
                },
                {
                    "name": _("By amount"),
                    "css": "rp-b",
                    "values": [r.rate_by_amount if r else None for _s, r in history],
                },
            ],
            title=_("Renewal rate by month"),
            top=100,
            suffix="%",
        ),
        "not_renewed": deals,
        "deals_query": _query_without(request, "deals_page"),
    }


@login_required
def renewal(request):
    if request.GET.get("export") in EXPORT_FORMATS and request.GET.get("list") == "not_renewed":
        return _export_not_renewed(request)
    return _report_page(
        request,
        model=RenewalReport,
        filterset_class=RenewalFilter,
        template="reports/renewal.html",
        title=_("Renewal rate"),
        sorts=RENEWAL_SORTS,
        default_sort="name",
        export_columns=[
            (gettext_lazy("Due"), lambda r: r.due),
            (gettext_lazy("Due amount"), lambda r: r.due_amount),
            (gettext_lazy("Renewed"), lambda r: r.renewed),
            (gettext_lazy("Renewed amount"), lambda r: r.renewed_amount),
            # xgettext:no-python-format
            (gettext_lazy("Rate by count, %"), lambda r: r.rate_by_count),
            # xgettext:no-python-format
            (gettext_lazy("Rate by amount, %"), lambda r: r.rate_by_amount),
        ],
        extra=_renewal_extra,
    )


def _export_not_renewed(request):
    filterset = RenewalFilter(request.GET, queryset=RenewalReport.objects.none(), request=request)
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    month = cleaned.get("month") or timezone.localdate().replace(day=1)
    deals = _not_renewed(request, month, cleaned)
    return export_response(
        filename=f"not-renewed-{month:%Y-%m}",
        headers=[str(_("Client")), str(_("Deal")), str(_("Owner")), str(_("Amount")), str(_("Service ends"))],
        rows=(
            [d.client.name, d.title, d.owner.full_name, d.amount, d.service_end]
            for d in deals.iterator(chunk_size=500)
        ),
        export_format=request.GET["export"],
    )


# --- activity statistics ---------------------------------------------------------------------

ACTIVITY_SORTS = {
    "name": "rep__last_name",
    "calls": "calls",
    "meetings": "meetings",
    "visits": "visits",
    "emails": "emails",
    "norm": "calls_norm",
    "below": "below_norm",
}


def _activity_extra(*, page, **_unused) -> dict:
    # People against their norms; teams only when the page shows no person (their norms
    # are sums and would flatten everybody's bars).
    rows = [row for row in page.object_list if row.scope == "rep"] or [
        row for row in page.object_list if row.scope == "team"
    ]
    return {
        "calls_chart": charts.bar_chart(
            [
                {
                    "label": row.scope_label,
                    "value": row.calls,
                    "display": str(row.calls),
                    "marker": row.calls_norm,
                    "marker_display": str(row.calls_norm),
                    "css": "rp-below" if row.below_norm else "",
                }
                for row in rows
            ],
            title=_("Calls against the norm"),
        )
        if rows
        else None,
    }


@login_required
def activity(request):
    per_day = bool(request.GET.get("day"))
    return _report_page(
        request,
        model=ActivityStat,
        filterset_class=ActivityStatFilter,
        template="reports/activity.html",
        title=_("Activity statistics"),
        sorts=ACTIVITY_SORTS,
        default_sort="name",
        export_columns=[
            (gettext_lazy("Per"), lambda r: r.get_period_kind_display()),
            (gettext_lazy("Calls"), lambda r: r.calls),
            (gettext_lazy("Calls norm"), lambda r: r.calls_norm),
            (gettext_lazy("Meetings"), lambda r: r.meetings),
            (gettext_lazy("Visits"), lambda r: r.visits),
            (gettext_lazy("Meetings norm"), lambda r: r.meetings_norm),
            (gettext_lazy("E-mails"), lambda r: r.emails),
            (gettext_lazy("Below norm"), lambda r: _("yes") if r.below_norm else _("no")),
        ],
        extra=_activity_extra,
        row_filters={"period_kind": PeriodKind.DAY if per_day else PeriodKind.MONTH},
    )


# --- plan fulfilment -------------------------------------------------------------------------

FULFILMENT_SORTS = {
    "name": "rep__last_name",
    "plan": "plan_booked",
    "booked": "booked",
    "pct": "fulfilment_pct",
    "collected": "collected",
    "forecast": "forecast",
}


def _fulfilment_extra(*, request, month, scope, **_unused) -> dict:
    if month is None:
        return {}
    history = trend(PlanFulfilment, viewer=request.user, scope=scope, month=month)

    def values(field: str) -> list:
        return [getattr(row, field) if row else None for _start, row in history]

    return {
        "plan_chart": charts.column_chart(
            [_month_label(start) for start, _row in history],
            [
                {"name": _("Plan"), "css": "rp-plan", "values": values("plan_booked"), "format": _money},
                {"name": _("Booked"), "css": "rp-a", "values": values("booked"), "format": _money},
                {"name": _("Forecast"), "css": "rp-b", "values": values("forecast"), "format": _money},
                {"name": _("Collected"), "css": "rp-c", "values": values("collected"), "format": _money},
            ],
            title=_("Plan, booked, forecast and collected by month"),
        ),
    }


@login_required
def fulfilment(request):
    return _report_page(
        request,
        model=PlanFulfilment,
        filterset_class=FulfilmentFilter,
        template="reports/fulfilment.html",
        title=_("Plan fulfilment"),
        sorts=FULFILMENT_SORTS,
        default_sort="name",
        export_columns=[
            (gettext_lazy("Booked plan"), lambda r: r.plan_booked),
            (gettext_lazy("Booked"), lambda r: r.booked),
            # xgettext:no-python-format
            (gettext_lazy("Booked, % of plan"), lambda r: r.fulfilment_pct),
            (gettext_lazy("Collected plan"), lambda r: r.plan_collected),
            (gettext_lazy("Collected"), lambda r: r.collected),
            # xgettext:no-python-format
            (gettext_lazy("Collected, % of plan"), lambda r: r.collected_pct),
            (gettext_lazy("Weighted pipeline"), lambda r: r.pipeline_weighted),
            (gettext_lazy("Forecast"), lambda r: r.forecast),
            # xgettext:no-python-format
            (gettext_lazy("Forecast, % of plan"), lambda r: r.forecast_pct),
        ],
        extra=_fulfilment_extra,
    )


# --- market coverage ---------------------------------------------------------------------------

COVERAGE_SORTS = {
    "name": "rep__last_name",
    "amount": "won_amount",
    "clients": "clients",
    "deals": "won_deals",
    "top": "top_share",
}


def _coverage_extra(*, request, month, scope, headline, **_unused) -> dict:
    if month is None:
        return {}
    segments = dict(Segment.choices)
    history = trend(CoverageReport, viewer=request.user, scope=scope, month=month)

    def breakdown(items: list[dict], label: Callable[[dict], str]) -> list[dict]:
        return [
            {"label": label(item), "value": item["amount"], "display": _money(Decimal(item["amount"]))}
            for item in items
        ]

    industries = headline.by_industry if headline else []
    segment_items = headline.by_segment if headline else []
    return {
        "industries": [{**item, "label": item["name"] or _("No industry")} for item in industries],
        "segments": [{**item, "label": segments.get(item["key"], item["key"])} for item in segment_items],
        "industry_chart": charts.bar_chart(
            breakdown(industries, lambda item: item["name"] or _("No industry")),
            title=_("Won amount by industry"),
        )
        if industries
        else None,
        "segment_chart": charts.bar_chart(
            breakdown(segment_items, lambda item: str(segments.get(item["key"], item["key"]))),
            title=_("Won amount by segment"),
            width=480,
            label_width=130,
        )
        if segment_items
        else None,
        "trend_chart": charts.line_chart(
            [_month_label(start) for start, _row in history],
            [
                {
                    # xgettext:no-python-format
                    "name": _("Top 20% clients' share"),
                    "css": "rp-a",
                    "values": [row.top_share if row else None for _s, row in history],
                }
            ],
            # xgettext:no-python-format
            title=_("Share of the top 20% of clients by month"),
            top=100,
            suffix="%",
        ),
    }


@login_required
def coverage(request):
    return _report_page(
        request,
        model=CoverageReport,
        filterset_class=CoverageFilter,
        template="reports/coverage.html",
        title=_("Market coverage"),
        sorts=COVERAGE_SORTS,
        default_sort="name",
        export_columns=[
            (gettext_lazy("Won amount"), lambda r: r.won_amount),
            (gettext_lazy("Won deals"), lambda r: r.won_deals),
            (gettext_lazy("Clients"), lambda r: r.clients),
            # xgettext:no-python-format
            (gettext_lazy("Top 20% clients"), lambda r: r.top_clients),
            # xgettext:no-python-format
            (gettext_lazy("Top 20% clients' amount"), lambda r: r.top_clients_amount),
            # xgettext:no-python-format
            (gettext_lazy("Top 20% share, %"), lambda r: r.top_share),
        ],
        extra=_coverage_extra,
    )


# --- overview and runs ---------------------------------------------------------------------------


def _latest_headline(model: type[ReportRow], viewer, scope: dict, **filters):
    return (
        model.objects.visible_to(viewer)
        .filter(**scope, **filters)
        .select_related("team", "rep")
        .order_by("-period")
        .first()
    )


def _runs_context(request) -> dict:
    runs = list(run_list(viewer=request.user)[:12])
    return {
        "runs": runs,
        "runs_busy": any(run.status in (RunStatus.QUEUED, RunStatus.RUNNING) for run in runs),
        "may_trigger": may_trigger_runs(request.user),
    }


@login_required
def index(request, trigger_form: RunTriggerForm | None = None):
    viewer = request.user
    scope = headline_scope(viewer)
    context = {
        "conversion": _latest_headline(ConversionReport, viewer, scope),
        "renewal": _latest_headline(RenewalReport, viewer, scope),
        "activity": _latest_headline(ActivityStat, viewer, scope, period_kind=PeriodKind.MONTH),
        "fulfilment": _latest_headline(PlanFulfilment, viewer, scope),
        "coverage": _latest_headline(CoverageReport, viewer, scope),
        "alerts": alert_summary(viewer=viewer),
        "trigger_form": trigger_form or RunTriggerForm(),
        **_runs_context(request),
    }
    return render(request, "reports/index.html", context, status=400 if trigger_form else 200)


@login_required
def runs(request):
    """The latest runs (the reports page polls this while a run is under way)."""
    return render(request, "reports/partials/runs.html", _runs_context(request))


@login_required
@require_POST
def run_trigger(request):
    if not may_trigger_runs(request.user):
        # Checked before the form, so nobody else learns anything from its validation.
        raise PermissionDenied(_("Only the head of sales and the analyst may start report runs."))
    form = RunTriggerForm(request.POST)
    if form.is_valid():
        try:
            started = report_runs_trigger(
                by=request.user, run_date=form.cleaned_data["run_date"], kinds=form.cleaned_data["kinds"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if started:
                messages.success(
                    request,
                    _("%(count)s report run(s) queued for %(date)s.")
                    % {"count": len(started), "date": date_format(form.cleaned_data["run_date"])},
                )
            else:
                messages.warning(request, _("Those reports are already queued or running for that date."))
            return redirect("reports:index")
    return index(request, trigger_form=form)


# --- overdue alerts --------------------------------------------------------------------------------

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
        "query": _query_without(request, "page"),
        "export_query": _query_without(request, "page", "export"),
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
        "may_acknowledge": alert.is_open and can_write(request.user, alert),
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
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
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


# --- notifications ------------------------------------------------------------------------------------


@login_required
def notifications(request, preference_form: NotificationPreferenceForm | None = None):
    base = notification_list(viewer=request.user)
    filterset = NotificationFilter(request.GET, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if preference_form is None:
        preference = NotificationPreference.objects.filter(user=request.user).first()
        preference_form = NotificationPreferenceForm(
            initial={
                "language": preference.language if preference else request.LANGUAGE_CODE,
                "email_enabled": preference.email_enabled if preference else True,
            }
        )
    context = {
        "filter": filterset,
        "page": page,
        "query": _query_without(request, "page"),
        "preference_form": preference_form,
    }
    return render(
        request, "reports/notifications.html", context, status=400 if preference_form.is_bound else 200
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = notification_mark_read(by=request.user, notification_id=pk)
    if request.htmx:
        notification = notification_list(viewer=request.user).get(pk=notification.pk)
        return render(request, "reports/partials/notification_item.html", {"notification": notification})
    target = request.POST.get("next")
    if target == "alert" and alert_list(viewer=request.user).filter(pk=notification.alert_id).exists():
        return redirect("reports:alert", pk=notification.alert_id)
    return redirect("reports:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(by=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("reports:notifications")


@login_required
@require_POST
def notification_preferences(request):
    form = NotificationPreferenceForm(request.POST)
    if form.is_valid():
        try:
            notification_preference_update(
                user=request.user,
                language=form.cleaned_data["language"],
                email_enabled=form.cleaned_data["email_enabled"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Notification settings saved."))
            return redirect("reports:notifications")
    return notifications(request, preference_form=form)


# --- home --------------------------------------------------------------------------------------------------


@login_required
def home(request):
    """The role-aware dashboard: a person's own month, a lead's team, the head's department."""
    return render(request, "reports/home.html", {"dashboard": dashboard_for(request.user)})
