"""The deals app's part of a book (accounts.handover): someone's open deals, which follow
their client to its receiver (closed deals stay with whoever closed them). Registered in
DealsConfig.ready(), as is the hook a single client reassignment calls to take its open
deals along (clients.hooks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping

from django.db.models import Count

from accounts.models import User
from core.locks import lock_all
from deals.models import Deal, StageKind
from deals.signals import deal_changed


def _open_deal_ids(**lookup) -> list[int]:
    return list(Deal.objects.filter(stage__kind=StageKind.OPEN, **lookup).values_list("pk", flat=True))


def open_deals_count(owner: User) -> dict[int, int]:
    rows = Deal.objects.filter(owner_id=owner.pk, stage__kind=StageKind.OPEN).order_by()
    return dict(rows.values("client_id").annotate(n=Count("pk")).values_list("client_id", "n"))


def _move(deals, *, owner_id: int, receiver_of, by: User, reason_of) -> Counter:
    moved: Counter = Counter()
    for deal in deals:
        if deal.owner_id != owner_id:
            continue  # moved by someone else between the read and the lock
        receiver = receiver_of(deal)
        deal.owner = receiver
        deal._history_user = by
        deal._change_reason = reason_of(receiver)
        deal.save(update_fields=["owner", "updated_at"])
        deal_changed.send(Deal, deal_id=deal.pk, event="updated")
        moved[receiver.pk] += 1
    return moved


def open_deals_move(
    *, owner: User, mapping: Mapping[int, User], by: User, reason: Callable[[User], str]
) -> dict[int, int]:
    """Give ``owner``'s open deals on the clients of ``mapping`` to the client's receiver;
    the ids are read first and the rows locked without a join (core.locks)."""
    ids = _open_deal_ids(owner_id=owner.pk, client_id__in=list(mapping))
    deals = lock_all(Deal.objects.filter(pk__in=ids))
    return dict(
        _move(
            deals,
            owner_id=owner.pk,
            receiver_of=lambda deal: mapping[deal.client_id],
            by=by,
            reason_of=reason,
        )
    )


def client_open_deals_move(*, client, previous_owner_id: int, by: User, reason: str) -> int:
    """A reassigned client's open deals owned by its previous owner follow it."""
    ids = _open_deal_ids(owner_id=previous_owner_id, client_id=client.pk)
    deals = lock_all(Deal.objects.filter(pk__in=ids))
    moved = _move(
        deals,
        owner_id=previous_owner_id,
        receiver_of=lambda _deal: client.owner,
        by=by,
        reason_of=lambda _r: reason,
    )
    return sum(moved.values())
