"""The contract and client-request lists' tables: one definition for each page and its
CSV/XLSX export."""

import django_tables2 as tables
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import name_fields
from core.links import id_url
from core.tables import ListTable, MoneyColumn, choice_label
from documents.models import ClientRequest, Contract

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}


def _sorted_by(*fields: str) -> tuple[str, ...]:
    return (*fields, "pk")


class ContractTable(ListTable):
    export_filename = "contracts"
    # every cell is the contract's own fields and its deal's, client's and owner's (no
    # per-viewer part): a list opened again writes only the rows that changed
    cache_rows = True
    cache_depth = 3
    # what the page's cells read (the export reads every field): 15 of the 113 columns of a
    # contract, its deal, client, owner, team, reviewer and scan
    page_fields = (
        "id",
        "number",
        "date",
        "amount",
        "status",
        "version",
        "submitted_at",
        "deal_id",
        "deal__title",
        "deal__client_id",
        "deal__client__name",
        *name_fields("deal__owner"),
    )

    id = tables.Column(verbose_name=_("ID"), accessor="pk", visible=False)
    number = tables.Column(verbose_name=_("Number"), orderable=True, order_by=_sorted_by("number"))
    deal = tables.Column(
        verbose_name=_("Deal"), accessor="deal__title", orderable=True, order_by=_sorted_by("deal__title")
    )
    client = tables.Column(
        verbose_name=_("Client"),
        accessor="deal__client__name",
        orderable=True,
        order_by=_sorted_by("deal__client__name"),
    )
    owner = tables.Column(
        verbose_name=_("Owner"),
        accessor="deal__owner__full_name",
        orderable=True,
        order_by=_sorted_by("deal__owner__last_name"),
    )
    team = tables.Column(verbose_name=_("Team"), accessor="deal__owner__team__name", visible=False)
    date = tables.Column(verbose_name=_("Date"), orderable=True, order_by=_sorted_by("date"))
    amount = MoneyColumn(_("Amount"), orderable=True, order_by=_sorted_by("amount"))
    status = tables.Column(verbose_name=_("Status"), orderable=True, order_by=_sorted_by("status"))
    version = tables.Column(verbose_name=_("Version"), attrs=NUMBER)
    start_date = tables.Column(verbose_name=_("Term start"), visible=False)
    end_date = tables.Column(verbose_name=_("Term end"), visible=False)
    term_months = tables.Column(verbose_name=_("Term, months"), visible=False)
    submitted = tables.Column(
        verbose_name=_("Submitted"),
        accessor="submitted_at",
        default="—",
        orderable=True,
        order_by=_sorted_by("submitted_at"),
    )
    reviewed_by = tables.Column(
        verbose_name=_("Reviewed by"), accessor="reviewed_by__full_name", visible=False
    )
    review_comment = tables.Column(verbose_name=_("Review comment"), visible=False)

    class Meta(ListTable.Meta):
        model = Contract
        fields = ()
        orderable = False
        attrs = {"class": "table contract-table"}
        sequence = (
            "id",
            "number",
            "deal",
            "client",
            "owner",
            "team",
            "date",
            "amount",
            "status",
            "version",
            "start_date",
            "end_date",
            "term_months",
            "submitted",
            "reviewed_by",
            "review_comment",
        )

    def render_number(self, value, record):
        return format_html('<a href="{}">{}</a>', id_url("documents:contract_detail", record.pk), value)

    def value_number(self, value):
        return value

    def render_deal(self, value, record):
        return format_html('<a href="{}">{}</a>', id_url("deals:detail", record.deal_id), value)

    def value_deal(self, value):
        return value

    def render_status(self, value, record):
        return format_html(
            '<span class="status-pill contract-{}">{}</span>', record.status, choice_label(record, "status")
        )

    def value_status(self, value, record):
        return choice_label(record, "status")

    def render_date(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def value_date(self, value):
        return value

    def render_submitted(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def value_submitted(self, value):
        return value


class ClientRequestTable(ListTable):
    export_filename = "client-requests"
    # every cell is the request's own fields and its client's and owner's (no per-viewer
    # part), and whether it is overdue by now (row_depends_on)
    cache_rows = True
    # what the page's cells read: 13 columns of the request, its client and its owner (the
    # export reads every field, 130 columns with the team, deal and contract)
    page_fields = (
        "id",
        "kind",
        "client_id",
        "client__name",
        "description",
        "priority",
        *name_fields("owner"),
        "status",
        "due_by",
        "satisfaction",
    )

    id = tables.Column(verbose_name=_("ID"), accessor="pk", orderable=True, order_by=("pk",))
    kind = tables.Column(verbose_name=_("Kind"), orderable=True, order_by=_sorted_by("kind"))
    client = tables.Column(
        verbose_name=_("Client"), accessor="client__name", orderable=True, order_by=_sorted_by("client__name")
    )
    description = tables.Column(verbose_name=_("Description"))
    priority = tables.Column(verbose_name=_("Priority"), orderable=True, order_by=_sorted_by("priority"))
    owner = tables.Column(
        verbose_name=_("Owner"),
        accessor="owner__full_name",
        orderable=True,
        order_by=_sorted_by("owner__last_name"),
    )
    team = tables.Column(verbose_name=_("Team"), accessor="owner__team__name", visible=False)
    status = tables.Column(verbose_name=_("Status"), orderable=True, order_by=_sorted_by("status"))
    due_by = tables.Column(
        verbose_name=_("Due by"),
        orderable=True,
        order_by=_sorted_by("due_by"),
        attrs={
            "td": {
                "class": lambda record=None: "overdue-text" if getattr(record, "is_overdue", False) else ""
            }
        },
    )
    satisfaction = tables.Column(verbose_name=_("Satisfaction"), default="—", attrs=NUMBER)
    created = tables.Column(
        verbose_name=_("Created"),
        accessor="created_at",
        visible=False,
        orderable=True,
        order_by=_sorted_by("created_at"),
    )
    resolution = tables.Column(verbose_name=_("Resolution"), visible=False)

    class Meta(ListTable.Meta):
        model = ClientRequest
        fields = ()
        orderable = False
        attrs = {"class": "table request-table"}
        sequence = (
            "id",
            "kind",
            "client",
            "description",
            "priority",
            "owner",
            "team",
            "status",
            "due_by",
            "satisfaction",
            "created",
            "resolution",
        )

    def row_depends_on(self, record) -> tuple:
        return (record.is_overdue,)

    def render_id(self, value, record):
        return format_html('<a href="{}">#{}</a>', id_url("documents:request_detail", record.pk), value)

    def value_id(self, value):
        return value

    def render_kind(self, value, record):
        return choice_label(record, "kind")

    def value_kind(self, value, record):
        return choice_label(record, "kind")

    def render_client(self, value, record):
        return format_html('<a href="{}">{}</a>', id_url("clients:detail", record.client_id), value)

    def value_client(self, value):
        return value

    def render_description(self, value):
        return truncatechars(value, 60)

    def value_description(self, value):
        return value

    def render_priority(self, value, record):
        return choice_label(record, "priority")

    def value_priority(self, value, record):
        return choice_label(record, "priority")

    def render_status(self, value, record):
        return format_html(
            '<span class="status-pill request-{}">{}</span>', record.status, choice_label(record, "status")
        )

    def value_status(self, value, record):
        return choice_label(record, "status")

    def render_due_by(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def value_due_by(self, value):
        return value
