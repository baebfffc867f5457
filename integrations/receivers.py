"""Connect the lower apps' events to webhook deliveries."""

from django.db import transaction

from clients.signals import client_changed
from deals.signals import deal_changed
from integrations.services import webhook_event_emit
from reports.signals import alert_escalated
from targets.signals import payment_recorded


def _later(event: str, ids: list[int]) -> None:
    # After the commit: a rolled-back write announces nothing, and the payload is read as it
    # was committed.
    transaction.on_commit(lambda: webhook_event_emit(event=event, ids=ids), robust=True)


def on_client(sender=None, *, client_id, event, **kwargs):
    _later(f"client.{event}", [client_id])


def on_deal(sender=None, *, deal_id, event, **kwargs):
    _later(f"deal.{event}", [deal_id])


def on_payment(sender=None, *, payment_id, **kwargs):
    _later("payment.recorded", [payment_id])


def on_alerts(sender=None, *, alert_ids, **kwargs):
    _later("alert.escalated", list(alert_ids))


def connect() -> None:
    client_changed.connect(on_client, dispatch_uid="webhooks-client")
    deal_changed.connect(on_deal, dispatch_uid="webhooks-deal")
    payment_recorded.connect(on_payment, dispatch_uid="webhooks-payment")
    alert_escalated.connect(on_alerts, dispatch_uid="webhooks-alert")
