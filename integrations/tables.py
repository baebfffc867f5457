"""The webhook pages' tables: endpoints and the delivery log."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import ListTable
from integrations.models import WebhookDelivery, WebhookEndpoint


class WebhookTable(ListTable):
    export_filename = "webhooks"

    url = tables.LinkColumn("integrations:webhook", args=[tables.A("pk")], verbose_name=_("URL"))
    description = tables.Column(verbose_name=_("Description"), default="—")
    events = tables.Column(verbose_name=_("Events"), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    failure_streak = tables.Column(verbose_name=_("Failures in a row"))

    class Meta(ListTable.Meta):
        model = WebhookEndpoint
        fields = ()
        sequence = ("url", "description", "events", "is_active", "failure_streak")
        order_by = ("url",)
        empty_text = _("No webhooks yet.")

    def render_events(self, record):
        return ", ".join(record.event_labels())


class DeliveryTable(ListTable):
    export_filename = "webhook-deliveries"

    created_at = tables.DateTimeColumn(verbose_name=_("Created"), format="SHORT_DATETIME_FORMAT")
    event = tables.Column(verbose_name=_("Event"))
    object_id = tables.Column(verbose_name=_("Record"))
    status = tables.Column(verbose_name=_("Status"))
    attempts = tables.Column(verbose_name=_("Attempts"))
    response_code = tables.Column(verbose_name=_("Response"), default="—")
    last_error = tables.Column(verbose_name=_("Last error"), default="—", orderable=False)
    delivered_at = tables.DateTimeColumn(
        verbose_name=_("Delivered"), format="SHORT_DATETIME_FORMAT", default="—"
    )

    class Meta(ListTable.Meta):
        model = WebhookDelivery
        fields = ()
        sequence = (
            "created_at",
            "event",
            "object_id",
            "status",
            "attempts",
            "response_code",
            "last_error",
            "delivered_at",
        )
        order_by = ("-created_at",)
        empty_text = _("Nothing delivered yet.")
