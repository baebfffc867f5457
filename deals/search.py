"""Global search: the header box, the results page and ``GET /api/v1/search/?q=``.

A kind of record is one function in ``REGISTRY``: it takes the viewer, the term and a
limit and answers at most ``limit`` ``Hit`` rows in one query, scoped by ``visible_to``
(a record the viewer may not see is never found). Clients, contacts and deals live here
(the deals layer sees all three); a kind of a higher app, or one added later (tasks),
registers itself with ``register()`` from its ``AppConfig.ready()``.

On PostgreSQL, ``icontains`` reads ``UPPER(col::text) LIKE UPPER('%term%')``; migration
deals 0005 builds ``pg_trgm`` GIN indexes on exactly those expressions, so a fragment does
not scan the tables. SQLite runs the same lookups without an index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Contact, Task, TaskStatus, normalize_tax_id
from deals.models import Deal

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 10
# How many matching rows of one table a kind ranks at most (see client_matches).
CANDIDATES = 200


@dataclass(frozen=True)
class Hit:
    """One found record as the dropdown, the page and the API show it."""

    id: int
    label: str
    detail: str
    url: str
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"id": self.id, "label": self.label, "detail": self.detail, "url": self.url, **self.extra}


Finder = Callable[..., list[Hit]]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    find: Finder


REGISTRY: dict[str, Kind] = {}


def register(key: str, label, find: Finder) -> None:
    """Add (or replace) a kind of record. Kinds are shown in the order they registered."""
    REGISTRY[key] = Kind(key=key, label=label, find=find)


class SearchTermError(ValueError):
    pass


def clean_term(raw) -> str:
    """The term as searched: control characters (a NUL PostgreSQL refuses) become spaces, it is
    trimmed and inner runs of spaces made one; too short or too long is
    an error (the page shows it, the API answers 400)."""
    text = "".join(char if char.isprintable() else " " for char in str(raw or ""))
    term = " ".join(text.split())
    if len(term) < MIN_LENGTH:
        raise SearchTermError(_("Type at least %(min)d characters.") % {"min": MIN_LENGTH})
    if len(term) > MAX_LENGTH:
        raise SearchTermError(_("Type at most %(max)d characters.") % {"max": MAX_LENGTH})
    return term


def search(
    *, viewer, term: str, limit: int = PER_KIND, kinds: list[str] | None = None
) -> dict[str, list[Hit]]:
    """Every registered kind's hits for an already cleaned term: one query per kind."""
    limit = max(1, min(limit, PER_KIND))
    return {
        key: kind.find(viewer=viewer, term=term, limit=limit)
        for key, kind in REGISTRY.items()
        if kinds is None or key in kinds
    }


def _trigram_indexed() -> bool:
    """PostgreSQL has the trigram indexes (migration deals 0005); the SQLite fallback runs
    plain ORs (its LIMIT inside a UNION is not allowed, and it has no index to help anyway)."""
    return connection.vendor == "postgresql"


def _starts_first(field_name: str, term: str) -> Case:
    """0 when the field starts with the term: those hits come first."""
    return Case(
        When(**{f"{field_name}__istartswith": term}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _contact_match(term: str, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}name__icontains": term})
        | Q(**{f"{prefix}phone__icontains": term})
        | Q(**{f"{prefix}email__icontains": term})
    )


def client_matches(term: str, *, viewer) -> Q:
    """Clients by name, legal name, tax id, phone, or a contact's name, phone or e-mail (a
    client has no e-mail of its own).

    One id set per table, joined by UNION: an OR across a table and a subquery (or a join)
    would make PostgreSQL scan; each arm is a BitmapOr of trigram index scans. Each arm takes
    at most CANDIDATES of the rows the viewer sees, so a fragment common to thousands of
    names costs no more than a rare one (the list shows 10; typing more narrows it)."""
    own = Q(name__icontains=term) | Q(legal_name__icontains=term) | Q(phone__icontains=term)
    tax_id = normalize_tax_id(term)
    if tax_id and len(tax_id) >= MIN_LENGTH:
        own |= Q(tax_id__icontains=tax_id)
    via_contacts = (
        Contact.objects.visible_to(viewer).filter(_contact_match(term)).order_by().values("client_id")
    )
    if not _trigram_indexed():
        return own | Q(pk__in=via_contacts)
    by_own = Client.objects.visible_to(viewer).filter(own).order_by().values("pk")[:CANDIDATES]
    return Q(pk__in=by_own.union(via_contacts[:CANDIDATES]))


def deal_matches(term: str, *, viewer) -> Q:
    """Deals by title or their client's name (two index-backed arms, as for clients)."""
    if not _trigram_indexed():
        return Q(title__icontains=term) | Q(client__name__icontains=term)
    visible = Deal.objects.visible_to(viewer).order_by()
    by_title = visible.filter(title__icontains=term).values("pk")[:CANDIDATES]
    by_client = visible.filter(client__name__icontains=term).values("pk")[:CANDIDATES]
    return Q(pk__in=by_title.union(by_client))


def find_clients(*, viewer, term: str, limit: int) -> list[Hit]:
    return clients_as_hits(
        Client.objects.visible_to(viewer).filter(client_matches(term, viewer=viewer)), term, limit
    )


def clients_as_hits(clients, term: str, limit: int) -> list[Hit]:
    """Matching clients, those whose name starts with the term first, as hits (one query)."""
    rows = (
        clients.select_related("owner")
        .annotate(starts=_starts_first("name", term))
        .order_by("starts", "name", "pk")[:limit]
    )
    return [
        Hit(
            id=client.pk,
            label=client.name,
            detail=" · ".join(
                part for part in (client.tax_id or "", client.phone, client.owner.full_name) if part
            ),
            url=reverse("clients:detail", args=[client.pk]),
            extra={
                "name": client.name,
                "tax_id": client.tax_id,
                "phone": client.phone,
                "status": client.status,
                "owner": client.owner_id,
                "owner_name": client.owner.full_name,
            },
        )
        for client in rows
    ]


def find_contacts(*, viewer, term: str, limit: int) -> list[Hit]:
    rows = (
        Contact.objects.visible_to(viewer)
        .filter(_contact_match(term))
        .select_related("client")
        .annotate(starts=_starts_first("name", term))
        .order_by("starts", "name", "pk")[:limit]
    )
    return [
        Hit(
            id=contact.pk,
            label=contact.name,
            detail=" · ".join(part for part in (contact.client.name, contact.phone, contact.email) if part),
            url=reverse("clients:detail", args=[contact.client_id]) + f"#contact-{contact.pk}",
            extra={
                "name": contact.name,
                "client": contact.client_id,
                "client_name": contact.client.name,
                "phone": contact.phone,
                "email": contact.email,
                "is_decision_maker": contact.is_decision_maker,
            },
        )
        for contact in rows
    ]


def find_deals(*, viewer, term: str, limit: int) -> list[Hit]:
    rows = (
        Deal.objects.visible_to(viewer)
        .filter(deal_matches(term, viewer=viewer))
        .select_related("client", "stage")
        .annotate(starts=_starts_first("title", term))
        .order_by("starts", "title", "-pk")[:limit]
    )
    return [
        Hit(
            id=deal.pk,
            label=deal.title,
            detail=f"{deal.client.name} · {deal.stage.display_name}",
            url=reverse("deals:detail", args=[deal.pk]),
            extra={
                "title": deal.title,
                "client": deal.client_id,
                "client_name": deal.client.name,
                "stage_name": deal.stage.name,
                "stage_kind": deal.stage.kind,
                "amount": str(deal.amount),
            },
        )
        for deal in rows
    ]


def task_matches(term: str, *, viewer) -> Q:
    """Tasks by title or their client's name (index-backed arms, as for deals). A task is
    visible through its owner or its client's owner: the client-name arm is one per path
    (``visible_parts``), since that OR across two tables would make PostgreSQL scan every
    task to find the viewer's few."""
    if not _trigram_indexed():
        return Q(title__icontains=term) | Q(client__name__icontains=term)
    by_title = Task.objects.visible_to(viewer).order_by().filter(title__icontains=term).values("pk")
    by_client = [
        part.order_by().filter(client__name__icontains=term).values("pk")[:CANDIDATES]
        for part in Task.objects.visible_parts(viewer)
    ]
    return Q(pk__in=by_title[:CANDIDATES].union(*by_client))


def find_tasks(*, viewer, term: str, limit: int) -> list[Hit]:
    """Open tasks first (soonest due first), then done and cancelled ones."""
    rows = (
        Task.objects.visible_to(viewer)
        .filter(task_matches(term, viewer=viewer))
        .select_related("client", "owner")
        .annotate(
            closed=Case(
                When(status=TaskStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("closed", "due_date", "pk")[:limit]
    )
    return [
        Hit(
            id=task.pk,
            label=task.title,
            detail=" · ".join(
                (
                    task.get_kind_display(),
                    task.client.name,
                    formats.date_format(task.due_date, "SHORT_DATE_FORMAT"),
                )
            ),
            url=reverse("tasks:detail", args=[task.pk]),
            extra={
                "title": task.title,
                "kind": task.kind,
                "status": task.status,
                "client": task.client_id,
                "client_name": task.client.name,
                "due_date": task.due_date.isoformat(),
                "owner": task.owner_id,
            },
        )
        for task in rows
    ]


register("clients", _("Clients"), find_clients)
register("contacts", _("Contacts"), find_contacts)
register("deals", _("Deals"), find_deals)
register("tasks", _("Tasks"), find_tasks)
