"""The people list's table: one definition for the page and its CSV/XLSX export."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.tables import ListTable


class StaffTable(ListTable):
    export_filename = "people"

    name = tables.Column(
        verbose_name=_("Name"), accessor="full_name", order_by=("last_name", "first_name", "username")
    )
    username = tables.Column(verbose_name=_("Username"))
    role = tables.Column(verbose_name=_("Role"))
    team = tables.Column(verbose_name=_("Team"), accessor="team__name", default="—")
    territory = tables.Column(verbose_name=_("Territory"), accessor="territory__name", default="—")
    email = tables.EmailColumn(verbose_name=_("E-mail"), visible=False)
    phone = tables.Column(verbose_name=_("Phone"), visible=False)

    class Meta(ListTable.Meta):
        model = User
        fields = ()
        sequence = ("name", "username", "role", "team", "territory", "email", "phone")
        order_by = ("name",)
        empty_text = _("Nobody matches these filters.")
