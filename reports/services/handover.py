"""The reports app's part of a book (accounts.handover): the open overdue alerts of the
installments someone follows up. An alert reaches its installment's follow-up person, so it
moves with the installment; moving it marks it changed (``updated_at``) for REST clients that
sync, and its notifications go to the receiver from then on. Registered in
ReportsConfig.ready() before the installments' part moves (it selects by their follow-up)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from core.locks import lock_all
from reports.models import AlertStatus, OverdueAlert


def _open_alerts(owner_id: int):
    followed = Q(installment__follow_up_by_id=owner_id) | Q(
        installment__follow_up_by__isnull=True, installment__deal__owner_id=owner_id
    )
    return OverdueAlert.objects.filter(followed, status=AlertStatus.OPEN)


def open_alerts_count(owner: User) -> dict[int, int]:
    rows = _open_alerts(owner.pk).order_by().values("client_id").annotate(n=Count("pk"))
    return dict(rows.values_list("client_id", "n"))


def open_alerts_move(
    *, owner: User, mapping: Mapping[int, User], by: User, reason: Callable[[User], str]
) -> dict[int, int]:
    client_of = dict(
        _open_alerts(owner.pk).filter(client_id__in=list(mapping)).values_list("pk", "client_id")
    )
    alerts = lock_all(OverdueAlert.objects.filter(pk__in=list(client_of)))
    moved: Counter = Counter(mapping[client_of[alert.pk]].pk for alert in alerts)
    OverdueAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(updated_at=timezone.now())
    return dict(moved)
