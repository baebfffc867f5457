"""The five report pages. ``ReportPageView`` is the one report page: it reads the
precomputed rows the viewer may see (scoped by ``visible_to``), applies the filter form,
sorts (``?ordering=``), paginates, finds the headline row and exports CSV/XLSX; each report
is a small subclass naming its model, filter, template, table (reports.tables: the page's
columns and the export's) and charts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import DecimalField, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from clients.models import Segment
from core import charts, periods
from core.exports import EXPORT_FORMATS
from core.http import query_without
from core.tables import table_for_request
from core.templatetags.money import currency_symbol
from deals.models import stage_label
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
from reports.summaries import period_summary
from reports.tables import (
    ActivityTable,
    ConversionTable,
    CoverageTable,
    FulfilmentTable,
    NotRenewedTable,
    RenewalTable,
    ReportTable,
)
from reports.views.common import PAGE_SIZE, money_or_dash, month_label

PERIOD_FIELDS = ("month", "period", "from", "to", "period_from", "period_to", "day")


def default_month(latest: datetime.date | None) -> datetime.date | None:
    """The month a report opens on: this month, or the last full one while this one is
    younger than a week (``core.periods.default_period``) — unless the reports have not been
    computed that far yet, then the latest month they have."""
    if latest is None:
        return None
    start = periods.default_period(timezone.localdate()).start
    return start if latest >= start else latest


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


def period_choices(today: datetime.date) -> list[periods.Period]:
    """What the period field suggests: this and last month, this and last quarter, the
    year to date and last year."""
    this_month = periods.Period.month(today.year, today.month)
    this_quarter = periods.Period.quarter(today.year, (today.month - 1) // 3 + 1)
    return [
        this_month,
        this_month.previous(),
        this_quarter,
        this_quarter.previous(),
        periods.Period.year_to_date(today.year, today),
        periods.Period.year(today.year - 1),
    ]


def _is_money(model, name: str) -> bool:
    """A report figure that is an amount: a money column of the report table (14 digits,
    two decimals; rates and days are narrower)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return isinstance(field, DecimalField) and (field.max_digits, field.decimal_places) == (14, 2)


def _with_currency(text: str, is_money: bool) -> str:
    return f"{text}\xa0{currency_symbol()}" if is_money and text != "—" else text


def _shown(value, *, rate: bool, places: int | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        if places is None:  # a rate to one decimal, money and days as precise as they are
            places = 1 if rate else min(max(-value.as_tuple().exponent, 0), 2)
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = number_format(value, places, force_grouping=True)
    else:
        text = number_format(value, force_grouping=True)
    return f"{text}%" if rate else text


def _shown_change(moved: dict, *, rate: bool, is_money: bool = False) -> str:
    delta = moved["delta"]
    if delta is None:
        return "—"
    sign = "+" if delta > 0 else ""
    if rate:
        return _("%(delta)s pt") % {"delta": sign + _shown(delta, rate=False, places=1)}
    text = _with_currency(sign + _shown(delta, rate=False), is_money)
    if moved["percent"] is not None:
        text += f" ({sign}{number_format(moved['percent'], 1)}%)"
    return text


def shown_summary(summary: dict, model=None, money: tuple[str, ...] = ()) -> dict:
    """``period_summary`` (or ``summaries.compare``) with every figure and change as the
    page shows it (amounts with the department's currency: a report table's money columns,
    or the figures named in ``money``)."""
    for figure in summary["figures"]:
        rate = figure["name"].endswith(("_pct", "_rate")) or figure["name"].startswith("rate_")
        is_money = figure["name"] in money or (model is not None and _is_money(model, figure["name"]))
        for key in ("current", "previous", "last_year"):
            figure[f"{key}_shown"] = _with_currency(_shown(figure[key], rate=rate), is_money)
        for key in ("change_previous", "change_last_year"):
            figure[f"{key}_shown"] = _shown_change(figure[key], rate=rate, is_money=is_money)
            delta = figure[key]["delta"]
            figure[f"{key}_css"] = "" if not delta else ("is-up" if delta > 0 else "is-down")
    return summary


class ReportPageView(LoginRequiredMixin, TemplateView):
    """One report page. Subclasses set the class attributes and may add charts (and other
    context) in ``chart_context``."""

    model: type[ReportRow]
    filterset_class: type[ReportRowFilter]
    template_name: str
    title: str
    table_class: type[ReportTable]

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
        opening = default_month(latest)
        if opening and not any(data.get(name) for name in PERIOD_FIELDS):
            data["month"] = opening.strftime("%Y-%m")
        filterset = self.filterset_class(data, queryset=base, request=request)
        valid = filterset.is_valid()
        cleaned = filterset.form.cleaned_data if valid else {}
        rows = filterset.qs if valid else base.none()
        period = cleaned.get("period_range")
        month = period.last_month if period else (cleaned.get("month") or latest)

        export_format = request.GET.get("export")
        if export_format in EXPORT_FORMATS:
            return self.export(rows, month, export_format)

        table = table_for_request(self.table_class, request, rows, per_page=PAGE_SIZE)
        page = table.page
        scope = headline_scope(viewer, team=cleaned.get("team"), person=cleaned.get("owner"))
        headline = base.filter(period=month, **scope).first() if month else None
        summary = None
        if period is not None and not cleaned.get("day"):
            summary = shown_summary(
                period_summary(self.model, viewer=viewer, scope=scope, period=period), self.model
            )
        context = self.get_context_data(
            title=str(self.title),
            filter=filterset,
            table=table,
            page=page,
            query=query_without(request, "page"),
            month=month,
            headline=headline,
            scope=scope,
            period=period,
            summary=summary,
            period_choices=period_choices(timezone.localdate()),
            export_query=query_without(request, "page", "export"),
            **kwargs,
        )
        context.update(
            self.chart_context(month=month, scope=scope, headline=headline, page=page, cleaned=cleaned)
        )
        return self.render_to_response(context)

    def export(self, rows: QuerySet, month: datetime.date | None, export_format: str):
        """Every row the page would show, in its order, with the table's export columns."""
        table = self.table_class(rows)
        tables.RequestConfig(self.request, paginate=False).configure(table)
        name = self.model._meta.model_name
        table.export_filename = f"{name}-{month:%Y-%m}" if month else name
        return table.export_response(export_format)

    def trend(self, month: datetime.date, scope: dict):
        """Twelve months of the headline's rows, up to ``month``: (first day, row or None)."""
        return trend(self.model, viewer=self.request.user, scope=scope, month=month)


# --- conversion ------------------------------------------------------------------------------


class ConversionView(ReportPageView):
    model = ConversionReport
    filterset_class = ConversionFilter
    template_name = "reports/conversion.html"
    title = gettext_lazy("Conversion")
    table_class = ConversionTable

    def chart_context(self, *, month, scope, headline, **_unused) -> dict:
        if month is None:
            return {}
        return {
            "funnel": charts.funnel_chart(
                [{**stage, "name": stage_label(stage["name"])} for stage in headline.stages],
                title=_("Conversion funnel"),
            )
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
    table_class = RenewalTable

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
        table = NotRenewedTable(self.not_renewed(month, cleaned))
        table.export_filename = f"not-renewed-{month:%Y-%m}"
        return table.export_response(request.GET["export"])


# --- activity statistics ---------------------------------------------------------------------


class ActivityView(ReportPageView):
    model = ActivityStat
    filterset_class = ActivityStatFilter
    template_name = "reports/activity.html"
    title = gettext_lazy("Activity statistics")
    table_class = ActivityTable

    def row_filters(self) -> dict:
        per_day = bool(self.request.GET.get("day"))
        return {"period_kind": PeriodKind.DAY if per_day else PeriodKind.MONTH}

    def chart_context(self, *, page, **_unused) -> dict:
        # People against their norms; teams only when the page shows no person (their norms
        # are sums and would flatten everybody's bars).
        records = [row.record for row in page.object_list]
        rows = [row for row in records if row.scope == "rep"] or [
            row for row in records if row.scope == "team"
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
    table_class = FulfilmentTable

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
    table_class = CoverageTable

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
