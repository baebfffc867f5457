"""The clients app's parts of a book (accounts.handover): the clients someone owns and their
open tasks. Registered in ClientsConfig.ready()."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Task, TaskStatus
from clients.signals import client_changed
from core.locks import lock_all


def client_names(client_ids: Iterable[int]) -> list[tuple[int, str]]:
    """The book's clients in the split's order: by name, then id."""
    return list(
        Client.objects.filter(pk__in=list(client_ids)).order_by("name", "pk").values_list("pk", "name")
    )


def _counts(queryset) -> dict[int, int]:
    return dict(queryset.values("client_id").annotate(n=Count("pk")).values_list("client_id", "n"))


def owned_clients_count(owner: User) -> dict[int, int]:
    return dict.fromkeys(Client.objects.filter(owner_id=owner.pk).values_list("pk", flat=True), 1)


def open_tasks_count(owner: User) -> dict[int, int]:
    return _counts(Task.objects.filter(owner_id=owner.pk, status=TaskStatus.OPEN).order_by())


def _move_rows(rows, *, mapping, by, reason, fields, extra=None) -> Counter:
    moved: Counter = Counter()
    for row in rows:
        receiver = mapping[row.client_id if hasattr(row, "client_id") else row.pk]
        row.owner = receiver
        for name, value in (extra or {}).items():
            setattr(row, name, value)
        row._history_user = by
        row._change_reason = reason(receiver)
        row.save(update_fields=[*fields, "updated_at"])
        moved[receiver.pk] += 1
    return moved


def owned_clients_move(
    *, owner: User, mapping: Mapping[int, User], by: User, reason: Callable[[User], str]
) -> dict[int, int]:
    """Give each client of ``mapping`` that ``owner`` owns to its receiver (locked, pk order)."""
    rows = lock_all(Client.objects.filter(owner_id=owner.pk, pk__in=list(mapping)))
    moved: Counter = Counter()
    now = timezone.now()
    for client in rows:
        receiver = mapping[client.pk]
        client.owner = receiver
        client.owner_assigned_at = now
        client.owner_assigned_by = by
        client._history_user = by
        client._change_reason = reason(receiver)
        client.save(update_fields=["owner", "owner_assigned_at", "owner_assigned_by", "updated_at"])
        client_changed.send(Client, client_id=client.pk, event="updated")
        moved[receiver.pk] += 1
    return dict(moved)


def open_tasks_move(
    *, owner: User, mapping: Mapping[int, User], by: User, reason: Callable[[User], str]
) -> dict[int, int]:
    """Give ``owner``'s open tasks on the clients of ``mapping`` to the client's receiver."""
    rows = lock_all(
        Task.objects.filter(owner_id=owner.pk, status=TaskStatus.OPEN, client_id__in=list(mapping))
    )
    return dict(_move_rows(rows, mapping=mapping, by=by, reason=reason, fields=["owner"]))


def client_open_tasks_move(*, client: Client, previous_owner_id: int, by: User, reason: str) -> int:
    """The previous owner's open tasks on ``client`` follow it to its new owner (a single
    reassignment that moves the open work too)."""
    rows = lock_all(
        Task.objects.filter(Q(owner_id=previous_owner_id), client_id=client.pk, status=TaskStatus.OPEN)
    )
    moved = _move_rows(
        rows, mapping={client.pk: client.owner}, by=by, reason=lambda _receiver: reason, fields=["owner"]
    )
    return sum(moved.values())
