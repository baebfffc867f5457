"""The alert list's bulk action (core.bulk), registered in ReportsConfig.ready():
acknowledging each alert through ``alert_acknowledge``, with one comment for all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.roles import is_analyst, is_usable
from core.bulk import BulkAction, BulkResource, register
from reports.filters import OverdueAlertFilter
from reports.models import OverdueAlert
from reports.selectors import alert_list
from reports.services.alerts import alert_acknowledge
from reports.tables import AlertTable


class AcknowledgeParams(serializers.Serializer):
    comment = serializers.CharField(
        max_length=2000, label=_("Comment"), help_text="What is being done about them."
    )


def _acknowledge(*, by, record, params):
    alert_acknowledge(by=by, alert_id=record.pk, comment=params["comment"])


ALERTS = BulkResource(
    name="alerts",
    label=_("alerts"),
    rows=lambda user: OverdueAlert.objects.visible_to(user),
    list_rows=lambda request: alert_list(viewer=request.user),
    filterset=OverdueAlertFilter,
    table=AlertTable,
)
ALERTS.add(
    BulkAction(
        name="acknowledge",
        label=_("Acknowledge"),
        apply=_acknowledge,
        params=AcknowledgeParams,
        allowed=lambda user: is_usable(user) and not is_analyst(user),
    )
)


def register_bulk_actions() -> None:
    register(ALERTS)
