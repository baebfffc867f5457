"""The people list's table: one definition for the page and its CSV/XLSX export."""

import django_tables2 as tables
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import is_head, is_manager
from accounts.rules import holds_a_book
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
    book = tables.Column(verbose_name=_("Book"), empty_values=(), orderable=False, exclude_from_export=True)

    def __init__(self, *args, viewer_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer_request = viewer_request
        viewer = getattr(viewer_request, "user", None)
        self.viewer_id = getattr(viewer, "pk", None)
        # A manager sees the link on the rows they may see; the page itself asks the rules.
        self.manages = bool(viewer is not None and is_manager(viewer))
        self.deactivates = bool(viewer is not None and is_head(viewer))
        if not self.manages:
            self.columns.hide("book")

    def render_book(self, record):
        if not self.manages or record.pk == self.viewer_id or not holds_a_book(record):
            return "—"
        link = format_html(
            '<a href="{}" data-hand-over-link>{}</a>',
            reverse("accounts:hand_over", args=[record.pk]),
            _("Hand over"),
        )
        if not self.deactivates:
            return link
        return format_html(
            '{} <form method="post" action="{}" class="inline-form" data-confirm="{}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button danger-outline">{}</button></form>',
            link,
            reverse("accounts:deactivate", args=[record.pk]),
            _("Deactivate %(name)s? They will no longer be able to sign in.") % {"name": record.full_name},
            get_token(self.viewer_request),
            _("Deactivate"),
        )

    class Meta(ListTable.Meta):
        model = User
        fields = ()
        sequence = ("name", "username", "role", "team", "territory", "email", "phone", "book")
        order_by = ("name",)
        empty_text = _("Nobody matches these filters.")
