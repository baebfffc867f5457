"""The deal list's table: one definition for the page and its CSV/XLSX export.

Where the page shows a cell in short (the title with its type, "40%") the export has the
plain value under its own heading: a page-only column (``exclude_from_export``) beside an
export-only one (``visible=False``)."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.links import id_url
from core.tables import ListTable, MoneyColumn
from deals.cards import warning_badges_html
from deals.models import Deal, DealType, StageKind
from deals.selectors.deals import DEAL_ROW_FIELDS

NUMBER = {"th": {"class": "num"}, "td": {"class": "num"}}


def _sorted_by(*fields: str) -> tuple[str, ...]:
    """A column's order: its fields, ties by id (reversed with them, so paging a sorted list
    never repeats or skips a row)."""
    return (*fields, "pk")


def _past_close(record=None) -> str:
    # "date": kept on one line (a Chinese date, 2027年3月2日, broke after 年 in a narrow column)
    return "date overdue-text" if getattr(record, "warn_past_close", False) else "date"


class DealTable(ListTable):
    export_filename = "deals"
    # every cell is the deal's own fields, annotations and client/stage/owner (no per-viewer part)
    cache_rows = True
    # What the page's cells read (the export reads every field): 16 of the 69 columns of a deal
    # and its client, owner and stage. Deal list on load_large: 22.1 -> 19.5 ms of CPU.
    page_fields = (
        *DEAL_ROW_FIELDS,
        "deal_type",
        "probability",
        "stage__kind",
        "stage__default_probability",
    )

    id = tables.Column(verbose_name=_("ID"), accessor="pk", visible=False)
    title = tables.Column(
        verbose_name=_("Deal"), orderable=True, order_by=_sorted_by("title"), exclude_from_export=True
    )
    deal_title = tables.Column(verbose_name=_("Title"), accessor="title", visible=False)
    client = tables.Column(
        verbose_name=_("Client"), accessor="client__name", orderable=True, order_by=_sorted_by("client__name")
    )
    stage = tables.Column(
        verbose_name=_("Stage"),
        accessor="stage__display_name",
        orderable=True,
        order_by=_sorted_by("stage__order"),
    )
    amount = MoneyColumn(_("Amount"), orderable=True, order_by=_sorted_by("amount"))
    prob = tables.Column(
        verbose_name=_("Prob."), accessor="effective_probability", exclude_from_export=True, attrs=NUMBER
    )
    probability = tables.Column(
        verbose_name=_("Probability, %"), accessor="effective_probability", visible=False
    )
    weighted = MoneyColumn(_("Weighted"), accessor="weighted_amount", visible=False)
    deal_type = tables.Column(verbose_name=_("Type"), visible=False)
    owner = tables.Column(
        verbose_name=_("Owner"),
        accessor="owner__full_name",
        orderable=True,
        order_by=_sorted_by("owner__last_name"),
    )
    team = tables.Column(verbose_name=_("Team"), accessor="owner__team__name", visible=False)
    expected_close = tables.Column(
        verbose_name=_("Expected close"),
        orderable=True,
        order_by=_sorted_by("expected_close"),
        default="—",
        attrs={"td": {"class": _past_close}},
    )
    facts = tables.Column(
        verbose_name=_("Facts"),
        accessor="fact_count",
        orderable=True,
        order_by=_sorted_by("fact_count"),
        attrs=NUMBER,
    )
    next_task = tables.Column(verbose_name=_("Next task"), default="—")
    next_task_due = tables.Column(verbose_name=_("Next task due"), visible=False)
    closed = tables.Column(verbose_name=_("Closed"), accessor="closed_at", visible=False)
    lost_reason = tables.Column(verbose_name=_("Lost reason"), visible=False)
    lost_comment = tables.Column(verbose_name=_("Lost reason comment"), visible=False)
    created = tables.Column(
        verbose_name=_("Created"),
        accessor="created_at",
        visible=False,
        orderable=True,
        order_by=_sorted_by("created_at"),
    )
    warnings = tables.Column(
        verbose_name=_("Warnings"), accessor="pk", empty_values=(), exclude_from_export=True
    )

    class Meta(ListTable.Meta):
        model = Deal
        fields = ()
        orderable = False
        attrs = {"class": "table deal-table"}
        sequence = (
            "id",
            "title",
            "deal_title",
            "client",
            "stage",
            "amount",
            "prob",
            "probability",
            "weighted",
            "deal_type",
            "owner",
            "team",
            "expected_close",
            "facts",
            "next_task",
            "next_task_due",
            "closed",
            "lost_reason",
            "lost_comment",
            "created",
            "warnings",
        )

    # --- the page's cells (the export takes the plain values) ---------------------------

    def render_title(self, value, record):
        link = format_html('<a href="{}">{}</a>', id_url("deals:detail", record.pk), value)
        if record.deal_type == DealType.NEW:
            return link
        return format_html('{} <span class="tag">{}</span>', link, record.get_deal_type_display())

    def render_client(self, value, record):
        return format_html('<a href="{}">{}</a>', id_url("clients:detail", record.client_id), value)

    def value_client(self, value):
        return value

    def render_stage(self, value, record):
        return format_html('<span class="stage-pill kind-{}">{}</span>', record.stage.kind, value)

    def value_stage(self, value):
        return value

    def render_prob(self, value):
        return f"{value}%"

    def render_expected_close(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def value_expected_close(self, value):
        return value

    def render_facts(self, value, record):
        if value:
            return format_html('<span class="fact-count">✔ {}</span>', value)
        if record.stage.kind == StageKind.OPEN:
            return format_html(
                '<span class="fact-count none" title="{}">0</span>', _("Feelings only: no fact yet")
            )
        return "0"

    def value_facts(self, value):
        return value

    def render_warnings(self, record):
        # the blank lines are those the row's warnings template left around the list
        return mark_safe(f"{warning_badges_html(record)}\n\n")  # noqa: S308 - escaped by warning_badges_html

    def render_next_task(self, value):
        return truncatechars(value, 40)

    def value_next_task(self, value):
        return value


class ProductTable(ListTable):
    """The product catalogue (page and CSV/XLSX export)."""

    export_filename = "products"
    # every cell is the product's own fields; the edit column's form carries the browser's
    # CSRF token (row_depends_on), and whether it shows is in the row's shape
    cache_rows = True

    code = tables.Column(verbose_name=_("Code"), orderable=True, order_by=_sorted_by("code"))
    name = tables.Column(
        verbose_name=_("Name"),
        orderable=True,
        order_by=_sorted_by("name"),
        attrs={"td": {"class": "product-name"}},
    )
    unit = tables.Column(verbose_name=_("Unit"), orderable=False)
    list_price = MoneyColumn(_("List price"), orderable=True, order_by=_sorted_by("list_price"))
    tax_rate = tables.Column(verbose_name=_("Tax rate, %"), orderable=True, attrs=NUMBER)
    max_discount_percent = tables.Column(verbose_name=_("Max discount, %"), orderable=True, attrs=NUMBER)
    is_active = tables.BooleanColumn(verbose_name=_("Active"), orderable=True)
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(ListTable.Meta):
        # Without a Meta of its own the table took django-tables2's defaults, not the site's:
        # its generic template (unstyled, 0.8 ms a row against the site's cells in one pass)
        # and ``?sort=`` instead of every other list's ``?ordering=``.
        attrs = {"class": "table product-table"}

    def __init__(self, *args, can_manage: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_manage:
            self.columns.hide("edit")

    def row_depends_on(self, record) -> tuple:
        return self._row_token_secret

    @cached_property
    def _row_token_secret(self) -> tuple:
        """The browser's CSRF secret when the rows carry forms (the head's edit column), so
        that each browser keeps its own; the rows without forms are everyone's."""
        request = getattr(self, "request", None)
        if request is None or not self.columns["edit"].visible:
            return ()
        return (request.META.get("CSRF_COOKIE", ""),)

    def render_edit(self, value, record):
        """Edit, and deactivate (or activate again) in one click."""
        return format_html(
            '<a href="{}">{}</a> <form method="post" action="{}" class="inline-form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="active" value="{}">'
            '<button type="submit" class="small" data-testid="product-toggle-{}">{}</button></form>',
            reverse("deals:product_edit", args=[value]),
            _("Edit"),
            reverse("deals:product_active", args=[value]),
            get_token(self.request),
            "false" if record.is_active else "true",
            value,
            _("Deactivate") if record.is_active else _("Activate"),
        )
