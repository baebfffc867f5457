"""The targets app's part of a book (accounts.handover): the outstanding installments someone
follows up. The won deal stays credited to whoever won it; the installment's
``follow_up_by`` names the receiver. Registered in TargetsConfig.ready()."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from django.db.models import Count, F

from accounts.models import User
from core.locks import lock_all
from targets.models import Installment


def _outstanding(owner_id: int):
    return Installment.objects.followed_up_by(owner_id).filter(paid_amount__lt=F("amount"))


def follow_ups_count(owner: User) -> dict[int, int]:
    rows = _outstanding(owner.pk).order_by().values("deal__client_id").annotate(n=Count("pk"))
    return dict(rows.values_list("deal__client_id", "n"))


def follow_ups_move(
    *, owner: User, mapping: Mapping[int, User], by: User, reason: Callable[[User], str]
) -> dict[int, int]:
    """Give the follow-up of ``owner``'s outstanding installments on the clients of
    ``mapping`` to the client's receiver (ids read first, rows locked without joins)."""
    client_of = dict(
        _outstanding(owner.pk).filter(deal__client_id__in=list(mapping)).values_list("pk", "deal__client_id")
    )
    moved: Counter = Counter()
    for installment in lock_all(Installment.objects.filter(pk__in=list(client_of))):
        receiver = mapping[client_of[installment.pk]]
        installment.follow_up_by = receiver
        installment._history_user = by
        installment._change_reason = reason(receiver)
        installment.save(update_fields=["follow_up_by", "updated_at"])
        moved[receiver.pk] += 1
    return dict(moved)
