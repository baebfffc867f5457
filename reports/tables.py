"""The report lists' tables: one definition for each page's table and its CSV/XLSX export.

A report table shows its rows grouped by scope (department, teams, people) and sorts within
each group; columns that only the page shows are ``exclude_from_export``, columns that only
the export has are ``visible=False``."""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.tables import ListTable, MoneyColumn
from core.templatetags.money import money
from deals.models import stage_label

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
# What the rows of a report are grouped by, before the asked column: newest period, then
# department, teams, people (``scope_order`` is annotated by ``reports.selectors.report_rows``).
GROUP_ORDER = ("-period", "scope_order")


class Num(tables.Column):
    """A figure, right-aligned; "—" for nothing."""

    def __init__(self, verbose_name, **kwargs):
        kwargs.setdefault("attrs", NUM)
        kwargs.setdefault("default", "—")
        super().__init__(verbose_name=verbose_name, **kwargs)


class Money(MoneyColumn):
    """An amount, right-aligned, with the currency (its export heading names the ISO code)."""

    def __init__(self, verbose_name, **kwargs):
        super().__init__(verbose_name, **kwargs)


class Percent(Num):
    def render(self, value):
        return f"{value}%"

    def value(self, value):
        return value


def export_only(verbose_name, **kwargs) -> tables.Column:
    return tables.Column(verbose_name=verbose_name, visible=False, orderable=False, **kwargs)


def page_only(column_class, verbose_name, **kwargs) -> tables.Column:
    return column_class(verbose_name, exclude_from_export=True, **kwargs)


class ReportTable(ListTable):
    """The rows of one report: the scope cell first (a row header), the export led by the
    period, the scope and the name. (django-tables2 reads only a class's own ``Meta``: each
    report table declares one.)"""

    period = export_only(gettext_lazy("Period"))
    scope_kind = export_only(gettext_lazy("Scope"), accessor="get_scope_display")
    name = export_only(gettext_lazy("Name"), accessor="scope_label")
    who = tables.TemplateColumn(
        template_name="reports/partials/scope_name.html",
        verbose_name=gettext_lazy("Who"),
        order_by=("rep__last_name",),
        exclude_from_export=True,
        attrs={"td": {"class": lambda record: f"scope scope-{record.scope}"}},
    )

    class Meta(ListTable.Meta):
        order_by = ("who",)
        row_attrs = {}

    @property
    def order_by(self):
        return super().order_by

    @order_by.setter
    def order_by(self, value):
        """Order by the asked column within each scope group, ``pk`` last."""
        tables.Table.order_by.fset(self, value)
        queryset = self.data.data
        if not isinstance(queryset, QuerySet):
            return
        asked = [term for term in queryset.query.order_by if term not in (*GROUP_ORDER, "pk")]
        self.data.data = queryset.order_by(*GROUP_ORDER, *asked, "pk")


class ConversionTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    leads = page_only(Num, gettext_lazy("Leads"), accessor="leads_created")
    leads_created = export_only(gettext_lazy("Leads created"))
    won = Num(gettext_lazy("Won"))
    lost = Num(gettext_lazy("Lost"))
    rate = page_only(Percent, gettext_lazy("Win rate"), accessor="win_rate")
    # xgettext:no-python-format
    win_rate = export_only(gettext_lazy("Win rate, %"))
    won_amount = Money(gettext_lazy("Won amount"))
    cycle = page_only(Num, gettext_lazy("Cycle, days"), accessor="avg_cycle_days")
    avg_cycle_days = export_only(gettext_lazy("Average cycle, days"))
    stage_counts = tables.TemplateColumn(
        template_name="reports/partials/stage_counts.html",
        verbose_name=gettext_lazy("Stage to stage"),
        accessor="stages",
        orderable=False,
        exclude_from_export=True,
        attrs={"th": {"class": "stage-counts"}, "td": {"class": "stage-counts"}},
    )
    stages = export_only(gettext_lazy("Stage conversion"))

    def value_stages(self, value):
        return "; ".join(f"{stage_label(s['name'])} {s['reached']}→{s['rate'] or '—'}%" for s in value)


class RenewalTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    due = Num(gettext_lazy("Due"))
    due_amount = Money(gettext_lazy("Due amount"))
    renewed = Num(gettext_lazy("Renewed"))
    renewed_amount = Money(gettext_lazy("Renewed amount"), orderable=False)
    rate = page_only(Percent, gettext_lazy("Rate by count"), accessor="rate_by_count")
    amount_rate = page_only(Percent, gettext_lazy("Rate by amount"), accessor="rate_by_amount")
    # xgettext:no-python-format
    rate_by_count = export_only(gettext_lazy("Rate by count, %"))
    # xgettext:no-python-format
    rate_by_amount = export_only(gettext_lazy("Rate by amount, %"))
    open_requests = Num(gettext_lazy("Open requests"), orderable=False)
    overdue_requests = Num(gettext_lazy("Overdue requests"), orderable=False)
    open_complaints = Num(gettext_lazy("Open complaints"), orderable=False)


class ActivityTable(ReportTable):
    period_kind = export_only(gettext_lazy("Per"), accessor="get_period_kind_display")
    calls = Num(gettext_lazy("Calls"))
    norm = page_only(Num, gettext_lazy("Calls norm"), accessor="calls_norm")
    calls_norm = export_only(gettext_lazy("Calls norm"))
    meetings = Num(gettext_lazy("Meetings"))
    visits = Num(gettext_lazy("Visits"))
    meetings_norm = Num(gettext_lazy("Meetings norm"), orderable=False)
    emails = Num(gettext_lazy("E-mails"))
    below = tables.TemplateColumn(
        template_name="reports/partials/norm_badge.html",
        verbose_name=gettext_lazy("Norm"),
        order_by=("below_norm",),
        exclude_from_export=True,
    )
    below_norm = export_only(gettext_lazy("Below norm"))

    class Meta(ReportTable.Meta):
        row_attrs = {
            "class": lambda record: "below-row" if record.below_norm else None,
            "data-below-norm": lambda record: "true" if record.below_norm else None,
        }

    def value_below_norm(self, value):
        return _("yes") if value else _("no")


class FulfilmentTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    plan = page_only(Money, gettext_lazy("Plan"), accessor="plan_booked")
    plan_booked = Money(gettext_lazy("Booked plan"), visible=False, orderable=False)
    booked = Money(gettext_lazy("Booked"))
    pct = tables.TemplateColumn(
        template_name="reports/partials/fulfilment_meter.html",
        # xgettext:no-python-format
        verbose_name=gettext_lazy("Booked, % of plan"),
        accessor="fulfilment_pct",
        attrs=NUM,
        default="—",
    )
    gap = page_only(Money, gettext_lazy("Gap"), orderable=False)
    plan_collected = Money(gettext_lazy("Collected plan"), visible=False, orderable=False)
    collected_export = Money(gettext_lazy("Collected"), accessor="collected", visible=False, orderable=False)
    # xgettext:no-python-format
    collected_pct = export_only(gettext_lazy("Collected, % of plan"))
    pipeline_weighted = Money(gettext_lazy("Weighted pipeline"), orderable=False)
    forecast = Money(gettext_lazy("Forecast"))
    # xgettext:no-python-format
    forecast_pct = Percent(gettext_lazy("Forecast, % of plan"), orderable=False)
    collection_plan = page_only(
        Money, gettext_lazy("Collection plan"), accessor="plan_collected", orderable=False
    )
    collected = tables.TemplateColumn(
        template_name="reports/partials/collected.html",
        verbose_name=gettext_lazy("Collected"),
        exclude_from_export=True,
        attrs=NUM,
    )

    def value_pct(self, value):
        return value


class CoverageTable(ReportTable):
    class Meta(ReportTable.Meta):
        pass

    won_amount = Money(gettext_lazy("Won amount"))
    won_deals = Num(gettext_lazy("Won deals"))
    clients = Num(gettext_lazy("Clients"))
    top = page_only(
        Num,
        # xgettext:no-python-format
        gettext_lazy("Top 20% clients"),
        accessor="top_clients",
        orderable=False,
    )
    # xgettext:no-python-format
    top_clients = export_only(gettext_lazy("Top 20% clients"))
    # xgettext:no-python-format
    top_clients_amount = Money(gettext_lazy("Top 20% clients' amount"), visible=False, orderable=False)
    # xgettext:no-python-format
    top_share = page_only(Percent, gettext_lazy("Top 20% share"))
    # xgettext:no-python-format
    top_share_export = export_only(gettext_lazy("Top 20% share, %"), accessor="top_share")

    def render_top(self, record):
        return f"{record.top_clients} · {money(record.top_clients_amount)}"


class NotRenewedTable(ListTable):
    """The won deals whose service ended in the month with no renewal (the renewal page's
    second list; its export)."""

    client = tables.Column(verbose_name=gettext_lazy("Client"), accessor="client__name")
    deal = tables.Column(verbose_name=gettext_lazy("Deal"), accessor="title")
    owner = tables.Column(verbose_name=gettext_lazy("Owner"), accessor="owner__full_name")
    amount = Money(gettext_lazy("Amount"))
    service_end = tables.Column(verbose_name=gettext_lazy("Service ends"))
    open_complaints = tables.Column(verbose_name=gettext_lazy("Open complaints"))

    class Meta(ListTable.Meta):
        orderable = False


class AlertTable(ListTable):
    """Overdue-debt alerts, most days overdue first. The page renders each row with
    ``reports/partials/alert_row.html`` (a row htmx swaps when an alert is acknowledged)."""

    export_filename = "overdue-alerts"

    client = tables.Column(
        verbose_name=gettext_lazy("Client"), accessor="client__name", order_by=("client__name", "pk")
    )
    deal = export_only(gettext_lazy("Deal"), accessor="installment__deal__title")
    owner = tables.Column(
        verbose_name=gettext_lazy("Owner"),
        accessor="installment__follow_up_person__full_name",
        orderable=False,
    )
    due = tables.Column(
        verbose_name=gettext_lazy("Due"),
        accessor="due_date",
        order_by=("due_date", "pk"),
        exclude_from_export=True,
    )
    due_date = export_only(gettext_lazy("Due date"))
    days = tables.Column(
        verbose_name=gettext_lazy("Days overdue"),
        accessor="days_overdue",
        order_by=("days_overdue", "pk"),
        attrs=NUM,
    )
    bucket = export_only(gettext_lazy("Bucket"))
    outstanding = Money(gettext_lazy("Outstanding"), order_by=("outstanding", "pk"))
    reason = tables.Column(verbose_name=gettext_lazy("Latest reason"), orderable=False)
    promised_date = export_only(gettext_lazy("Promised date"))
    status = export_only(gettext_lazy("Status"), accessor="get_status_display")
    level = export_only(gettext_lazy("Level"), accessor="get_level_display")
    acknowledgement = tables.Column(verbose_name=gettext_lazy("Acknowledged"), orderable=False)

    class Meta(ListTable.Meta):
        order_by = ("-days",)
        row_attrs = {}
