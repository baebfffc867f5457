"""The JSON a webhook carries: the record as the API's detail endpoint answers it, read as
the endpoint's owner (the head) sees it — so nothing leaves that they could not read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.db.models import Prefetch

from clients.api import ClientDetailSerializer
from clients.models import Contact
from clients.selectors import client_list
from deals.api import DealSerializer
from deals.selectors import deal_list
from reports.api import OverdueAlertSerializer
from reports.selectors import alert_list
from targets.api.receivables import PaymentSerializer
from targets.models import Payment


def _serialize(serializer, queryset, ids, viewer) -> dict[int, dict]:
    context = {"request": SimpleNamespace(user=viewer)}
    return {obj.pk: serializer(obj, context=context).data for obj in queryset.filter(pk__in=list(ids))}


def _clients(ids, viewer):
    contacts = Prefetch("contacts", queryset=Contact.objects.order_by("-is_decision_maker", "name", "pk"))
    return _serialize(
        ClientDetailSerializer, client_list(viewer=viewer).prefetch_related(contacts), ids, viewer
    )


def _deals(ids, viewer):
    return _serialize(DealSerializer, deal_list(viewer=viewer), ids, viewer)


def _payments(ids, viewer):
    queryset = Payment.objects.visible_to(viewer).select_related("installment__deal", "recorded_by")
    return _serialize(PaymentSerializer, queryset, ids, viewer)


def _alerts(ids, viewer):
    return _serialize(OverdueAlertSerializer, alert_list(viewer=viewer), ids, viewer)


BUILDERS: dict[str, Callable[[Iterable[int], object], dict[int, dict]]] = {
    "client": _clients,
    "deal": _deals,
    "payment": _payments,
    "alert": _alerts,
}


def payloads(kind: str, ids: Iterable[int], viewer) -> dict[int, dict]:
    """``{id: detail JSON}`` of the records of ``kind`` that ``viewer`` may see."""
    return BUILDERS[kind](ids, viewer)
