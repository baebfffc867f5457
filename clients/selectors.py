"""Reads of clients, contacts and activities, already scoped to what the viewer may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.history import REASONS
from clients.models import Activity, Client, Contact, Industry, Task, TaskStatus

# Tasks soonest first: by day, a task without a time before the timed ones, then by id.
TASK_ORDER = ("due_date", F("due_time").asc(nulls_first=True), "pk")


def client_list(*, viewer: User) -> QuerySet[Client]:
    """The clients the viewer may see, with what a list row shows: owner and team,
    industry, territory, and the time of the latest activity (a correlated subquery
    so it sorts and pages in the database)."""
    last_activity = (
        Activity.objects.filter(client=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    )
    return (
        Client.objects.visible_to(viewer)
        .select_related("owner", "owner__team", "industry", "territory")
        .annotate(last_activity_at=Subquery(last_activity))
    )


def client_get(*, viewer: User, pk) -> Client:
    """One client for its page or API detail (404 when hidden)."""
    return get_visible_or_404(
        client_list(viewer=viewer).select_related("owner_assigned_by"),
        viewer,
        pk=pk,
    )


def client_of_records(*, viewer: User, pk) -> Client:
    """One client for a panel of its records (its timeline, its tasks, logging a call on it):
    the client and its owner (whose role the page's rights read), 404 when hidden. Not the
    list's columns (industry, territory, team, the latest activity), which those panels do not
    show: a logged call's answer read them for nothing."""
    return get_visible_or_404(Client.objects.select_related("owner"), viewer, pk=pk)


def client_contacts(*, client: Client) -> QuerySet[Contact]:
    return client.contacts.order_by("-is_decision_maker", "name", "pk")


def linked_deals(*, viewer: User) -> QuerySet:
    """The deals ``viewer`` sees, as candidates for an activity's deal link.

    Activity.deal is the one edge from clients up to deals: a lazy "deals.Deal" foreign key
    the data needs (an activity may be about a deal). Python code in clients never imports
    deals (apps import one way, core ← accounts ← clients ← deals ...), so the deal model is
    reached through that relation, and its own ``visible_to`` decides what the viewer sees:
    the same rule as everywhere, without clients knowing anything else about deals."""
    deal_model = Activity._meta.get_field("deal").related_model
    return deal_model.objects.visible_to(viewer)


def client_linked_deals(*, viewer: User, client: Client) -> QuerySet:
    """The client's deals ``viewer`` sees: the choices of an activity's deal link."""
    return linked_deals(viewer=viewer).filter(client=client)


def client_timeline(*, viewer: User, client: Client) -> QuerySet[Activity]:
    """Everything done with the client, newest first. ``deal_visible`` says whether the
    viewer may see the activity's deal (a subquery, so the page stays one query): a deal
    of a former owner is neither linked nor named."""
    return (
        Activity.objects.filter(client=client)
        .select_related("owner", "contact", "deal")
        .annotate(deal_visible=Exists(linked_deals(viewer=viewer).filter(pk=OuterRef("deal_id"))))
        .order_by("-occurred_at", "-pk")
    )


def client_open_tasks(*, client: Client) -> QuerySet[Task]:
    """The client's open tasks, whoever holds them (the panel of the client page), soonest first."""
    return (
        Task.objects.filter(client=client, status=TaskStatus.OPEN)
        .select_related("owner", "contact", "client")
        .order_by(*TASK_ORDER)
    )


def deal_open_tasks(*, deal_id: int) -> QuerySet[Task]:
    """A deal's open tasks, whoever holds them, soonest first."""
    return (
        Task.objects.filter(deal_id=deal_id, status=TaskStatus.OPEN)
        .select_related("owner", "contact", "client")
        .order_by(*TASK_ORDER)
    )


@dataclass
class HistoryChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[HistoryChange]


_HISTORY_HIDDEN = {"normalized_name", "updated_at", "created_at", "owner_assigned_at", "owner_assigned_by"}


def client_history(*, client: Client, limit: int = 30) -> list[HistoryEntry]:
    """The latest changes of a client: who changed which field from what to what.
    Reads ``limit`` + 1 history rows in one query and names the referenced people,
    industries and territories in one query each."""
    from accounts.models import Territory

    records = list(
        client.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    # each record with the one before it (the oldest has none); a client written without
    # history (bulk loads, rows from before history was kept) has no records at all
    pairs = list(zip(records, [*records[1:], None][: len(records)], strict=True))[:limit]
    diffs = []
    user_ids, industry_ids, territory_ids = set(), set(), set()
    for record, previous in pairs:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=_HISTORY_HIDDEN)
            changes = delta.changes
            for change in changes:
                ids = {"owner": user_ids, "industry": industry_ids, "territory": territory_ids}.get(
                    change.field
                )
                if ids is not None:
                    ids.update(value for value in (change.old, change.new) if value)
        diffs.append((record, previous, changes))
    names: dict[str, dict] = {
        "owner": {user.pk: user.full_name for user in User.objects.filter(pk__in=user_ids)},
        "industry": {item.pk: item.name for item in Industry.objects.filter(pk__in=industry_ids)},
        "territory": {item.pk: item.name for item in Territory.objects.filter(pk__in=territory_ids)},
    }

    def shown(field_name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if field_name in names:
            return names[field_name].get(value, str(value))
        field = Client._meta.get_field(field_name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    entries = []
    for record, _previous, changes in diffs:
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.full_name if record.history_user else "",
                kind=record.history_type,
                reason=REASONS.shown(record.history_change_reason),
                changes=[
                    HistoryChange(
                        field=str(Client._meta.get_field(change.field).verbose_name),
                        old=shown(change.field, change.old),
                        new=shown(change.field, change.new),
                    )
                    for change in changes
                ],
            )
        )
    return entries


def contact_list(*, viewer: User) -> QuerySet[Contact]:
    return Contact.objects.visible_to(viewer).select_related("client")


def activity_list(*, viewer: User) -> QuerySet[Activity]:
    return Activity.objects.visible_to(viewer).select_related("client", "owner", "contact", "deal")


def tasks_due_between(tasks: QuerySet[Task], start, end, *, limit: int) -> list[Task]:
    """``tasks`` due from ``start`` to the day before ``end``, soonest first, at most ``limit``."""
    return list(tasks.filter(due_date__gte=start, due_date__lt=end).order_by(*TASK_ORDER)[:limit])


def task_list(*, viewer: User) -> QuerySet[Task]:
    """Every task the viewer may see, with what a row shows, soonest first."""
    return (
        Task.objects.visible_to(viewer)
        .select_related("client", "contact", "owner", "deal")
        .order_by(*TASK_ORDER)
    )


def open_task_list(*, viewer: User) -> QuerySet[Task]:
    return task_list(viewer=viewer).filter(status=TaskStatus.OPEN)


@dataclass
class TaskCounts:
    overdue: int
    today: int
    later: int


def task_counts(queryset: QuerySet[Task], *, today: datetime.date | None = None) -> TaskCounts:
    """How many of these tasks are overdue, due today, due later — one query."""
    today = today or timezone.localdate()
    totals = queryset.order_by().aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        today=Count("pk", filter=Q(due_date=today)),
        later=Count("pk", filter=Q(due_date__gt=today)),
    )
    return TaskCounts(**totals)
