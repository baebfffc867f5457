"""The five report pages. ``ReportPageView`` is the one report page: it reads the
precomputed rows the viewer may see (scoped by ``visible_to``), applies the filter form,
sorts, paginates, finds the headline row and exports CSV/XLSX; each report is a small
subclass naming its table, filter, template, sort columns, export columns and charts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from clients.models import Segment
from core import charts
from core.exports import EXPORT_FORMATS, export_response
from core.http import query_without
from reports.filters import (
    ActivityStatFilter,
    ConversionFilter,
    CoverageFilter,
    FulfilmentFilter,
    RenewalFilter,
    ReportRowFilter,
)
from reports.models import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    PeriodKind,
    PlanFulfilment,
    RenewalReport,
    ReportRow,
)
from reports.selectors import headline_scope, latest_period, not_renewed_in, report_rows, trend
from reports.views.common import PAGE_SIZE, money_or_dash, month_label

PERIOD_FIELDS = ("month", "period_from", "period_to", "day")


def _percent_trend(history, series: list[tuple[str, str, str]], *, title: str) -> charts.LineChart:
    """A 0–100 % line chart over the trend's months; ``series`` is (name, css, field)."""
    return charts.line_chart(
        [month_label(start) for start, _row in history],
        [
            {
                "name": name,
                "css": css,
                "values": [getattr(row, field) if row else None for _s, row in history],
            }
            for name, css, field in series
        ],
        title=title,
        top=100,
        suffix="%",
    )


class ReportPageView(LoginRequiredMixin, TemplateView):
    """One report page. Subclasses set the class attributes and may add charts (and other
    context) in ``chart_context``."""

    model: type[ReportRow]
    filterset_class: type[ReportRowFilter]
    template_name: str
    title: str
    # ?sort=<key> → the column it orders by (within each scope group); "-" reverses.
    sorts: dict[str, str]
    default_sort = "name"
    # (header, value of a row) after Period, Scope and Name.
    export_columns: list[tuple[str, Callable]] = []

    def row_filters(self) -> dict:
        """Which rows of the table the page reads at all (e.g. per day or per month)."""
        return {}

    def chart_context(self, *, month, scope, headline, page: Page, cleaned: dict) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        viewer = request.user
        row_filters = self.row_filters()
        base = report_rows(self.model, viewer=viewer).filter(**row_filters)
        data = request.GET.copy()
        latest = latest_period(self.model, viewer=viewer, **row_filters)
        if latest and not any(data.get(name) for name in PERIOD_FIELDS):
            data["month"] = latest.strftime("%Y-%m")
        filterset = self.filterset_class(data, queryset=base, request=request)
        valid = filterset.is_valid()
        cleaned = filterset.form.cleaned_data if valid else {}
        rows, sort = self.sorted(filterset.qs if valid else base.none())
        month = cleaned.get("month") or latest

        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            return self.export(rows, month, export_format)

        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        scope = headline_scope(viewer, team=cleaned.get("team"), person=cleaned.get("owner"))
        headline = base.filter(period=month, **scope).first() if month else None
        context = self.get_context_data(
            title=str(self.title),
            filter=filterset,
            page=page,
            query=query_without(request, "page"),
            sort=sort,
            month=month,
            headline=headline,
            scope=scope,
            export_query=query_without(request, "page", "export"),
            **kwargs,
        )
        context.update(
            self.chart_context(month=month, scope=scope, headline=headline, page=page, cleaned=cleaned)
        )
        return self.render_to_response(context)

    def sorted(self, queryset: QuerySet) -> tuple[QuerySet, str]:
        """Order by a whitelisted column (``?sort=won`` / ``?sort=-won``) within each scope group."""
        sort = self.request.GET.get("sort") or self.default_sort
        field = self.sorts.get(sort.lstrip("-"))
        if field is None:
            sort, field = self.default_sort, self.sorts[self.default_sort.lstrip("-")]
        direction = "-" if sort.startswith("-") else ""
        return queryset.order_by("-period", "scope_order", f"{direction}{field}", "pk"), sort

    def export(self, rows: QuerySet, month: datetime.date | None, export_format: str):
        name = self.model._meta.model_name
        headers = [str(_("Period")), str(_("Scope")), str(_("Name"))] + [
            str(header) for header, _get in self.export_columns
        ]
        return export_response(
            filename=f"{name}-{month:%Y-%m}" if month else name,
            headers=headers,
            rows=(
                [row.period, row.get_scope_display(), row.scope_label]
                + [get(row) for _header, get in self.export_columns]
                for row in rows.iterator(chunk_size=500)
            ),
            export_format=export_format,
        )

    def trend(self, month: datetime.date, scope: dict):
        """Twelve months of the headline's rows, up to ``month``: (first day, row or None)."""
        return trend(self.model, viewer=self.request.user, scope=scope, month=month)


# --- conversion ------------------------------------------------------------------------------


class ConversionView(ReportPageView):
    model = ConversionReport
    filterset_class = ConversionFilter
    template_name = "reports/conversion.html"
    title = gettext_lazy("Conversion")
    sorts = {
        "name": "rep__last_name",
        "leads": "leads_created",
        "won": "won",
        "lost": "lost",
        "rate": "win_rate",
        "amount": "won_amount",
        "cycle": "avg_cycle_days",
    }
    export_columns = [
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
    ]

    def chart_context(self, *, month, scope, headline, **_unused) -> dict:
        if month is None:
            return {}
        return {
            "funnel": charts.funnel_chart(headline.stages, title=_("Conversion funnel"))
            if headline
            else None,
            "trend_chart": _percent_trend(
                self.trend(month, scope),
                [(_("Win rate"), "series-a", "win_rate")],
                title=_("Win rate by month"),
            ),
        }


# --- renewal ---------------------------------------------------------------------------------


class RenewalView(ReportPageView):
    model = RenewalReport
    filterset_class = RenewalFilter
    template_name = "reports/renewal.html"
    title = gettext_lazy("Renewal rate")
    sorts = {
        "name": "rep__last_name",
        "due": "due",
        "renewed": "renewed",
        "rate": "rate_by_count",
        "amount_rate": "rate_by_amount",
        "due_amount": "due_amount",
    }
    export_columns = [
        (gettext_lazy("Due"), lambda r: r.due),
        (gettext_lazy("Due amount"), lambda r: r.due_amount),
        (gettext_lazy("Renewed"), lambda r: r.renewed),
        (gettext_lazy("Renewed amount"), lambda r: r.renewed_amount),
        # xgettext:no-python-format
        (gettext_lazy("Rate by count, %"), lambda r: r.rate_by_count),
        # xgettext:no-python-format
        (gettext_lazy("Rate by amount, %"), lambda r: r.rate_by_amount),
    ]

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") in EXPORT_FORMATS and request.GET.get("list") == "not_renewed":
            return self.export_not_renewed()
        return super().get(request, *args, **kwargs)

    def not_renewed(self, month: datetime.date, cleaned: dict) -> QuerySet:
        return not_renewed_in(
            viewer=self.request.user, month=month, owner=cleaned.get("owner"), team=cleaned.get("team")
        )

    def chart_context(self, *, month, scope, cleaned, **_unused) -> dict:
        if month is None:
            return {}
        deals = Paginator(self.not_renewed(month, cleaned), PAGE_SIZE).get_page(
            self.request.GET.get("deals_page")
        )
        return {
            "trend_chart": _percent_trend(
                self.trend(month, scope),
                [
                    (_("By count"), "series-a", "rate_by_count"),
                    (_("By amount"), "series-b", "rate_by_amount"),
                ],
                title=_("Renewal rate by month"),
            ),
            "not_renewed": deals,
            "deals_query": query_without(self.request, "deals_page"),
        }

    def export_not_renewed(self):
        request = self.request
        filterset = RenewalFilter(request.GET, queryset=RenewalReport.objects.none(), request=request)
        cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
        month = cleaned.get("month") or timezone.localdate().replace(day=1)
        deals = self.not_renewed(month, cleaned)
        return export_response(
            filename=f"not-renewed-{month:%Y-%m}",
            headers=[
                str(_("Client")),
                str(_("Deal")),
                str(_("Owner")),
                str(_("Amount")),
                str(_("Service ends")),
            ],
            rows=(
                [d.client.name, d.title, d.owner.full_name, d.amount, d.service_end]
                for d in deals.iterator(chunk_size=500)
            ),
            export_format=request.GET["export"],
        )


# --- activity statistics ---------------------------------------------------------------------


class ActivityView(ReportPageView):
    model = ActivityStat
    filterset_class = ActivityStatFilter
    template_name = "reports/activity.html"
    title = gettext_lazy("Activity statistics")
    sorts = {
        "name": "rep__last_name",
        "calls": "calls",
        "meetings": "meetings",
        "visits": "visits",
        "emails": "emails",
        "norm": "calls_norm",
        "below": "below_norm",
    }
    export_columns = [
        (gettext_lazy("Per"), lambda r: r.get_period_kind_display()),
        (gettext_lazy("Calls"), lambda r: r.calls),
        (gettext_lazy("Calls norm"), lambda r: r.calls_norm),
        (gettext_lazy("Meetings"), lambda r: r.meetings),
        (gettext_lazy("Visits"), lambda r: r.visits),
        (gettext_lazy("Meetings norm"), lambda r: r.meetings_norm),
        (gettext_lazy("E-mails"), lambda r: r.emails),
        (gettext_lazy("Below norm"), lambda r: _("yes") if r.below_norm else _("no")),
    ]

    def row_filters(self) -> dict:
        per_day = bool(self.request.GET.get("day"))
        return {"period_kind": PeriodKind.DAY if per_day else PeriodKind.MONTH}

    def chart_context(self, *, page, **_unused) -> dict:
        # People against their norms; teams only when the page shows no person (their norms
        # are sums and would flatten everybody's bars).
        rows = [row for row in page.object_list if row.scope == "rep"] or [
            row for row in page.object_list if row.scope == "team"
        ]
        if not rows:
            return {"calls_chart": None}
        return {
            "calls_chart": charts.bar_chart(
                [
                    {
                        "label": row.scope_label,
                        "value": row.calls,
                        "display": str(row.calls),
                        "marker": row.calls_norm,
                        "marker_display": str(row.calls_norm),
                        "css": "is-below" if row.below_norm else "",
                    }
                    for row in rows
                ],
                title=_("Calls against the norm"),
            )
        }


# --- plan fulfilment -------------------------------------------------------------------------


class FulfilmentView(ReportPageView):
    model = PlanFulfilment
    filterset_class = FulfilmentFilter
    template_name = "reports/fulfilment.html"
    title = gettext_lazy("Plan fulfilment")
    sorts = {
        "name": "rep__last_name",
        "plan": "plan_booked",
        "booked": "booked",
        "pct": "fulfilment_pct",
        "collected": "collected",
        "forecast": "forecast",
    }
    export_columns = [
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
    ]

    def chart_context(self, *, month, scope, **_unused) -> dict:
        if month is None:
            return {}
        history = self.trend(month, scope)

        def values(field: str) -> list:
            return [getattr(row, field) if row else None for _start, row in history]

        return {
            "plan_chart": charts.column_chart(
                [month_label(start) for start, _row in history],
                [
                    {"name": name, "css": css, "values": values(field), "format": money_or_dash}
                    for name, css, field in (
                        (_("Plan"), "series-base", "plan_booked"),
                        (_("Booked"), "series-a", "booked"),
                        (_("Forecast"), "series-b", "forecast"),
                        (_("Collected"), "series-c", "collected"),
                    )
                ],
                title=_("Plan, booked, forecast and collected by month"),
            ),
        }


# --- market coverage ---------------------------------------------------------------------------


def _breakdown(items: list[dict], label: Callable[[dict], str]) -> list[dict]:
    return [
        {"label": label(item), "value": item["amount"], "display": money_or_dash(Decimal(item["amount"]))}
        for item in items
    ]


class CoverageView(ReportPageView):
    model = CoverageReport
    filterset_class = CoverageFilter
    template_name = "reports/coverage.html"
    title = gettext_lazy("Market coverage")
    sorts = {
        "name": "rep__last_name",
        "amount": "won_amount",
        "clients": "clients",
        "deals": "won_deals",
        "top": "top_share",
    }
    export_columns = [
        (gettext_lazy("Won amount"), lambda r: r.won_amount),
        (gettext_lazy("Won deals"), lambda r: r.won_deals),
        (gettext_lazy("Clients"), lambda r: r.clients),
        # xgettext:no-python-format
        (gettext_lazy("Top 20% clients"), lambda r: r.top_clients),
        # xgettext:no-python-format
        (gettext_lazy("Top 20% clients' amount"), lambda r: r.top_clients_amount),
        # xgettext:no-python-format
        (gettext_lazy("Top 20% share, %"), lambda r: r.top_share),
    ]

    def chart_context(self, *, month, scope, headline, **_unused) -> dict:
        if month is None:
            return {}
        segments = dict(Segment.choices)
        industries = headline.by_industry if headline else []
        segment_items = headline.by_segment if headline else []
        return {
            "industries": [{**item, "label": item["name"] or _("No industry")} for item in industries],
            "segments": [{**item, "label": segments.get(item["key"], item["key"])} for item in segment_items],
            "industry_chart": charts.bar_chart(
                _breakdown(industries, lambda item: item["name"] or _("No industry")),
                title=_("Won amount by industry"),
            )
            if industries
            else None,
            "segment_chart": charts.bar_chart(
                _breakdown(segment_items, lambda item: str(segments.get(item["key"], item["key"]))),
                title=_("Won amount by segment"),
                width=480,
                label_width=130,
            )
            if segment_items
            else None,
            "trend_chart": _percent_trend(
                self.trend(month, scope),
                # xgettext:no-python-format
                [(_("Top 20% clients' share"), "series-a", "top_share")],
                # xgettext:no-python-format
                title=_("Share of the top 20% of clients by month"),
            ),
        }
