"""The receivables lists' tables: one definition for the overdue page's table and its
CSV/XLSX export. The page renders each row with ``targets/partials/overdue_row.html`` (a row
htmx swaps in place); the table gives the head, the sorting and the export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.money import CENT
from core.tables import ListTable, MoneyColumn

NUM = {"th": {"class": "num"}}


def _page_only(verbose_name, **kwargs) -> tables.Column:
    return tables.Column(verbose_name=verbose_name, exclude_from_export=True, **kwargs)


def _export_only(verbose_name, **kwargs) -> tables.Column:
    return tables.Column(verbose_name=verbose_name, visible=False, orderable=False, **kwargs)


class OverdueTable(ListTable):
    """Overdue installments, most days overdue first (``-days``: the earliest due date)."""

    client = tables.Column(
        verbose_name=gettext_lazy("Client"),
        accessor="deal__client__name",
        order_by=("deal__client__name", "due_date"),
    )
    deal = tables.Column(verbose_name=gettext_lazy("Deal"), accessor="deal__title", orderable=False)
    owner = tables.Column(
        verbose_name=gettext_lazy("Owner"), accessor="follow_up_person__full_name", orderable=False
    )
    team = _export_only(gettext_lazy("Team"), accessor="follow_up_person__team__name")
    due = tables.Column(verbose_name=gettext_lazy("Due"), accessor="due_date", order_by=("due_date", "pk"))
    amount = MoneyColumn(gettext_lazy("Amount"), visible=False, orderable=False)
    paid = MoneyColumn(gettext_lazy("Paid"), visible=False, orderable=False)
    outstanding = MoneyColumn(gettext_lazy("Outstanding"), order_by=("outstanding", "pk"), attrs=NUM)
    days = _page_only(gettext_lazy("Days"), accessor="due_date", order_by=("-due_date", "-pk"), attrs=NUM)
    days_overdue = _export_only(gettext_lazy("Days overdue"))
    latest_reason = tables.Column(verbose_name=gettext_lazy("Latest reason"), orderable=False)
    promised = _page_only(gettext_lazy("Promised"), accessor="latest_promised_date", orderable=False)
    latest_promised_date = _export_only(gettext_lazy("Promised date"))
    actions = _page_only(gettext_lazy("Actions"), accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        order_by = ("-days",)

    @property
    def export_filename(self) -> str:
        return f"overdue-{timezone.localdate():%Y-%m-%d}"

    def value_paid(self, value):
        # Two decimals for a computed amount (SQLite hands back 500 for 500.00).
        return value.quantize(CENT)

    def value_outstanding(self, value):
        return value.quantize(CENT)

    def value_days_overdue(self, value):
        return value.days
