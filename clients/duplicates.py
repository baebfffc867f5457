"""Reads for merging duplicates: the "possible duplicates" list and where a merged-away
record went.

Possible duplicates are clients the viewer sees that share a key: the same normalised name,
the same phone (digits only) or the same e-mail domain of a contact (free-mail domains such as
gmail.com do not count). Each key is grouped in the database (GROUP BY … HAVING COUNT > 1);
a page of groups costs the same few queries however many clients there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Min, Q, QuerySet, Value
from django.db.models.functions import Length, Lower, Replace, StrIndex, Substr

from accounts.models import User
from clients.models import Client, Contact
from sync.models import Tombstone

# Addresses at these domains say nothing about the company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.ru",
        "inbox.ru",
        "list.ru",
        "bk.ru",
        "yandex.ru",
        "ya.ru",
        "rambler.ru",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "foxmail.com",
    }
)

# The characters a phone number is written with besides its digits.
PHONE_NOISE = (" ", "-", "(", ")", "+", ".", "/")
MIN_PHONE_DIGITS = 5
GROUP_MEMBERS_SHOWN = 10


class Key:
    NAME = "name"
    PHONE = "phone"
    DOMAIN = "domain"


def _phone_digits(expression):
    for char in PHONE_NOISE:
        expression = Replace(expression, Value(char), Value(""))
    return expression


def _domain(expression):
    return Lower(Substr(expression, StrIndex(expression, Value("@")) + 1))


def _clients(viewer: User) -> QuerySet[Client]:
    return Client.objects.visible_to(viewer)


def _name_groups(viewer: User) -> QuerySet:
    return (
        _clients(viewer)
        .exclude(normalized_name="")
        .values(value=F("normalized_name"))
        .annotate(kind=Value(Key.NAME, output_field=CharField()), size=Count("pk"), first=Min("pk"))
        .filter(size__gt=1)
        .values("kind", "value", "size", "first")
        .order_by()
    )


def _phone_groups(viewer: User) -> QuerySet:
    return (
        _clients(viewer)
        .annotate(digits=_phone_digits(F("phone")))
        .annotate(digits_length=Length("digits"))
        .filter(digits_length__gte=MIN_PHONE_DIGITS)
        .values(value=F("digits"))
        .annotate(kind=Value(Key.PHONE, output_field=CharField()), size=Count("pk"), first=Min("pk"))
        .filter(size__gt=1)
        .values("kind", "value", "size", "first")
        .order_by()
    )


def _domain_contacts(viewer: User) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(client__in=_clients(viewer))
        .filter(email__contains="@")
        .annotate(domain=_domain(F("email")))
        .exclude(domain__in=FREE_MAIL_DOMAINS)
        .exclude(domain="")
    )


def _domain_groups(viewer: User) -> QuerySet:
    return (
        _domain_contacts(viewer)
        .values(value=F("domain"))
        .annotate(
            kind=Value(Key.DOMAIN, output_field=CharField()),
            size=Count("client", distinct=True),
            first=Min("client"),
        )
        .filter(size__gt=1)
        .values("kind", "value", "size", "first")
        .order_by()
    )


def duplicate_groups(*, viewer: User) -> QuerySet:
    """Every group of possible duplicates the viewer sees, as rows (kind, value, size, first
    client id), ordered by kind and value: one SQL query (a UNION of three GROUP BYs), to be
    paginated."""
    return (
        _name_groups(viewer)
        .union(_phone_groups(viewer), _domain_groups(viewer), all=True)
        .order_by("kind", "value")
    )


@dataclass
class DuplicateGroup:
    kind: str
    value: str
    size: int
    clients: list[Client] = field(default_factory=list)

    @property
    def survivor(self) -> Client | None:
        return self.clients[0] if self.clients else None

    @property
    def others(self) -> list[Client]:
        return self.clients[1:]


def group_members(*, viewer: User, groups: list[dict]) -> list[DuplicateGroup]:
    """The clients of a page of groups, oldest first in each, in one query (two with a domain
    group: the contacts' domains are read with the clients)."""
    names = {row["value"] for row in groups if row["kind"] == Key.NAME}
    phones = {row["value"] for row in groups if row["kind"] == Key.PHONE}
    domains = {row["value"] for row in groups if row["kind"] == Key.DOMAIN}
    by_domain: dict[str, set[int]] = {}
    if domains:
        for client_id, domain in (
            _domain_contacts(viewer).filter(domain__in=domains).values_list("client_id", "domain")
        ):
            by_domain.setdefault(domain, set()).add(client_id)
    condition = Q(normalized_name__in=names) | Q(digits__in=phones)
    condition |= Q(pk__in={pk for ids in by_domain.values() for pk in ids})
    clients = list(
        _clients(viewer)
        .annotate(digits=_phone_digits(F("phone")))
        .filter(condition)
        .select_related("owner")
        .order_by("pk")
    )
    result = []
    for row in groups:
        if row["kind"] == Key.NAME:
            members = [client for client in clients if client.normalized_name == row["value"]]
        elif row["kind"] == Key.PHONE:
            members = [client for client in clients if client.digits == row["value"]]
        else:
            members = [client for client in clients if client.pk in by_domain.get(row["value"], set())]
        result.append(
            DuplicateGroup(
                kind=row["kind"], value=row["value"], size=row["size"], clients=members[:GROUP_MEMBERS_SHOWN]
            )
        )
    return result


# --------------------------------------------------------------------------- merged-away records


MAX_MERGE_HOPS = 10


def merged_into(*, viewer: User, model, pk) -> int | None:
    """The id of the record ``viewer`` sees that the record ``pk`` (of ``model``, a client or a
    contact) was merged into, following later merges of the survivor; None when it was not
    merged, or the viewer saw neither."""
    name = model.tombstone_name
    try:
        current = int(pk)
    except (TypeError, ValueError):
        return None
    seen = set()
    for _hop in range(MAX_MERGE_HOPS):
        seen.add(current)
        stone = (
            Tombstone.objects.visible_to(viewer)
            .filter(model=name, object_id=current, merged_into__isnull=False)
            .order_by("-deleted_at", "-pk")
            .values_list("merged_into", flat=True)
            .first()
        )
        if stone is None or stone in seen:
            return None
        if model.objects.visible_to(viewer).filter(pk=stone).exists():
            return stone
        current = stone
    return None
