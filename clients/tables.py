"""The client list's table: one definition for the page and its CSV/XLSX export.

The export's columns are the import's (then the owner's name and team, the last activity and
the creation time), so an exported file can be edited and imported elsewhere: the import's
fields the page does not show are export-only columns (``visible=False``); what only the page
shows (the owner with the team under the name) is a page-only column."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.links import id_url
from core.tables import ListTable, nulls_last

# Sorting links swap the results in place (the wrapper in client_results.html names the target).
SORT_IN_PLACE = {"hx-boost": "true"}


def _cells(css: str = "") -> dict:
    """Column attributes: a responsive class on the header and the cells; the sorting link in
    the header loads through htmx."""
    return {"th": {**SORT_IN_PLACE, "class": css}, "td": {"class": css}}


class ClientTable(ListTable):
    export_filename = "clients"

    name = tables.Column(verbose_name=_("Name"), orderable=True)
    legal_name = tables.Column(verbose_name=_("Legal name"), visible=False)
    tax_id = tables.Column(verbose_name=_("Tax id"), visible=False)
    status = tables.Column(verbose_name=_("Status"), orderable=True)
    tier = tables.Column(verbose_name=_("Tier"), orderable=True, attrs=_cells("hide-sm"))
    industry = tables.Column(
        verbose_name=_("Industry"),
        accessor="industry__name",
        orderable=True,
        empty_values=(),
        attrs=_cells("hide-sm"),
    )
    segment = tables.Column(verbose_name=_("Segment"), visible=False, orderable=True)
    territory = tables.Column(
        verbose_name=_("Territory"),
        accessor="territory__name",
        default="—",
        orderable=True,
        attrs=_cells("hide-md"),
    )
    source = tables.Column(verbose_name=_("Source"), visible=False)
    owner = tables.Column(
        verbose_name=_("Owner"),
        accessor="owner__full_name",
        orderable=True,
        exclude_from_export=True,
        attrs=_cells("hide-sm"),
    )
    owner_username = tables.Column(
        verbose_name=_("Owner (username)"), accessor="owner__username", visible=False
    )
    owner_name = tables.Column(verbose_name=_("Owner name"), accessor="owner__full_name", visible=False)
    team = tables.Column(verbose_name=_("Team"), accessor="owner__team__name", visible=False)
    phone = tables.Column(verbose_name=_("Phone"), visible=False)
    website = tables.Column(verbose_name=_("Website"), visible=False)
    address = tables.Column(verbose_name=_("Address"), visible=False)
    last_activity = tables.Column(
        verbose_name=_("Last activity"), accessor="last_activity_at", orderable=True, empty_values=()
    )
    created = tables.Column(verbose_name=_("Created"), accessor="created_at", visible=False, orderable=True)

    export_sequence = (
        "name",
        "legal_name",
        "tax_id",
        "industry",
        "segment",
        "territory",
        "tier",
        "status",
        "source",
        "owner_username",
        "owner_name",
        "team",
        "phone",
        "website",
        "address",
        "last_activity",
        "created",
    )

    # Rows without a value sort last both ways, ties by id: as the API's ordering does.
    order_name = nulls_last("name")
    order_status = nulls_last("status")
    order_tier = nulls_last("tier")
    order_industry = nulls_last("industry__name")
    order_segment = nulls_last("segment")
    order_territory = nulls_last("territory__name")
    order_owner = nulls_last("owner__last_name")
    order_last_activity = nulls_last("last_activity_at")
    order_created = nulls_last("created_at")

    class Meta(ListTable.Meta):
        model = Client
        fields = ()
        orderable = False
        attrs = {"class": "table client-table", "th": SORT_IN_PLACE}
        sequence = (
            "name",
            "status",
            "tier",
            "industry",
            "territory",
            "owner",
            "last_activity",
            "legal_name",
            "tax_id",
            "segment",
            "source",
            "owner_username",
            "owner_name",
            "team",
            "phone",
            "website",
            "address",
            "created",
        )

    # --- the page's cells (the export takes the plain values) ---------------------------

    def render_name(self, value, record):
        link = format_html(
            '<a href="{}" class="client-name">{}</a>', id_url("clients:detail", record.pk), value
        )
        if not record.tax_id:
            return link
        return format_html('{} <small class="muted tax-id">{}</small>', link, record.tax_id)

    def value_name(self, value):
        return value

    def render_status(self, value, record):
        return format_html('<span class="badge status-{}">{}</span>', record.status, value)

    def value_status(self, value):
        return value

    def render_tier(self, record):
        return format_html('<span class="badge tier-{}">{}</span>', record.tier, record.tier)

    def value_tier(self, record):
        return record.tier  # the letter, as the import reads it

    def render_industry(self, value, record):
        return format_html(
            '{}<br><small class="muted">{}</small>', value or "—", record.get_segment_display()
        )

    def value_industry(self, value):
        return value

    def render_owner(self, value, record):
        if not record.owner.team_id:
            return value
        return format_html('{}<br><small class="muted">{}</small>', value, record.owner.team.name)

    def render_last_activity(self, value):
        if value is None:
            return format_html('<span class="muted">{}</span>', _("never"))
        local = timezone.localtime(value)
        return format_html(
            '<time datetime="{}">{}</time>', local.isoformat(), date_format(local, "SHORT_DATE_FORMAT")
        )

    def value_last_activity(self, value):
        return value
