"""A person's book and its hand-over to colleagues (a rep leaves, their work stays).

A **book** is what someone is responsible for: the clients they own and, on any client,
their open deals, open tasks, the outstanding installments they follow up and those
installments' open alerts. Those records live in apps above accounts, so accounts knows
them only through this registry: each app registers a **book part** in its
``AppConfig.ready()`` (clients: clients and tasks; deals: open deals; targets: installments'
follow-up; reports: open alerts) with two functions:

- ``count(owner) -> {client_id: rows}``: the rows of this kind in ``owner``'s book, by client
  (one aggregate query);
- ``move(owner=, mapping=, by=, reason=) -> {receiver_id: rows}``: move the rows of the
  clients in ``mapping`` (client id → receiver) to their receiver, recording ``reason(receiver)``
  in each row's history; called inside the hand-over's transaction, it locks its rows.

The client is the unit of the split: a client's deals, tasks, installments and alerts follow
the client, so an even split deals out clients in a fixed order (by name, then id) and
"by hand" names a receiver per client. The clients app also registers how units are named
(``register_unit_names``). Who may hand over whose book to whom is in ``accounts/rules.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import HandOver, User
from accounts.rules import ensure_can_hand_over_book, receiver_problem
from core.errors import Conflict
from core.locks import lock_one, retry_on_lost_race

# A request may name at most this many receivers and this many per-client assignments.
# The change reason of every record a hand-over moves, kept in English (clients.history shows it
# in the reader's language).
HAND_OVER = gettext_noop("Hand-over from %(from)s to %(to)s")
MAX_RECEIVERS = 20
MAX_ASSIGNMENTS = 5000

SPLIT_EVEN = "even"


@dataclass(frozen=True)
class BookPart:
    key: str
    label: Promise | str
    order: int
    count: Callable[[User], Mapping[int, int]]
    move: Callable[..., Mapping[int, int]]


_PARTS: dict[str, BookPart] = {}
_UNIT_NAMES: list[Callable[[Iterable[int]], list[tuple[int, str]]]] = []


def register_part(*, key: str, label, order: int, count, move) -> None:
    """Add a kind of record to every book (from an AppConfig.ready(); registering a key again
    replaces it). ``order`` is the order parts move in: a part whose selection follows
    another's rows (an alert follows its installment's follow-up) moves before that one."""
    _PARTS[key] = BookPart(key=key, label=label, order=order, count=count, move=move)


def register_unit_names(func: Callable[[Iterable[int]], list[tuple[int, str]]]) -> None:
    """``func(client_ids) -> [(id, name), ...]`` in the split's order (the clients app)."""
    _UNIT_NAMES[:] = [func]


def parts() -> list[BookPart]:
    return sorted(_PARTS.values(), key=lambda part: (part.order, part.key))


@dataclass
class Book:
    """What ``owner`` holds, by part and by client (read, not locked)."""

    owner: User
    by_part: dict[str, dict[int, int]]
    units: list[tuple[int, str]]  # (client id, name) in the split's order

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(rows.values()) for key, rows in self.by_part.items()}

    @property
    def is_empty(self) -> bool:
        return not any(self.totals.values())

    def labels(self) -> list[tuple[str, str]]:
        return [(part.key, str(part.label)) for part in parts()]


def book_of(owner: User) -> Book:
    """``owner``'s book: one query per part, one for the clients' names."""
    by_part = {part.key: {int(k): int(v) for k, v in part.count(owner).items() if v} for part in parts()}
    unit_ids = sorted({client_id for rows in by_part.values() for client_id in rows})
    units = _UNIT_NAMES[0](unit_ids) if (_UNIT_NAMES and unit_ids) else [(pk, str(pk)) for pk in unit_ids]
    return Book(owner=owner, by_part=by_part, units=units)


@dataclass
class Plan:
    """Who gets which client, and how many rows of each kind each receiver gets."""

    book: Book
    receivers: list[User]
    mapping: dict[int, User]
    counts: dict[int, dict[str, int]] = field(default_factory=dict)  # receiver id → part → rows

    def rows(self) -> list[dict]:
        """One row per receiver: the receiver, the clients they get and their counts."""
        names = dict(self.book.units)
        result = []
        for receiver in self.receivers:
            clients = [
                (pk, names.get(pk, str(pk))) for pk, who in self.mapping.items() if who.pk == receiver.pk
            ]
            result.append({"receiver": receiver, "clients": clients, "counts": self.counts[receiver.pk]})
        return result

    @property
    def totals(self) -> dict[str, int]:
        return {key: sum(counts[key] for counts in self.counts.values()) for key in self.book.by_part}

    def fingerprint(self) -> str:
        """A short digest of exactly what moves where: the page's confirmation carries it, so
        a book that changed after the preview is refused instead of moved blindly."""
        data = {
            "owner": self.book.owner.pk,
            "mapping": sorted((pk, who.pk) for pk, who in self.mapping.items()),
            "book": {key: sorted(rows.items()) for key, rows in sorted(self.book.by_part.items())},
        }
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]

    def as_data(self) -> dict:
        """The plan as the API answers it (and the HandOver records)."""
        return {
            "from": self.book.owner.pk,
            "to": [
                {"user": row["receiver"].pk, "clients": [pk for pk, _name in row["clients"]], **row["counts"]}
                for row in self.rows()
            ],
            "totals": self.totals,
            "fingerprint": self.fingerprint(),
        }


def _id(value, *, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({field_name: _("“%(value)s” is not an id.") % {"value": value}})
    try:
        number = int(value)
    except ValueError:
        raise ValidationError({field_name: _("“%(value)s” is not an id.") % {"value": value}}) from None
    if number <= 0 or number > 2**62:
        raise ValidationError({field_name: _("“%(value)s” is not an id.") % {"value": value}})
    return number


def _receivers(*, by: User, owner: User, ids: Iterable, field_name: str) -> dict[int, User]:
    """The receivers named by ``ids`` (in the order given, each once), checked by the rules."""
    ordered = list(dict.fromkeys(_id(value, field_name=field_name) for value in ids))
    if len(ordered) > MAX_RECEIVERS:
        raise ValidationError({field_name: _("Name at most %(limit)d receivers.") % {"limit": MAX_RECEIVERS}})
    found = User.objects.visible_to(by).in_bulk(ordered)
    problems = []
    for pk in ordered:
        receiver = found.get(pk)
        problem = (
            _("No such person: %(id)s.") % {"id": pk}
            if receiver is None
            else receiver_problem(by=by, owner=owner, receiver=receiver)
        )
        if problem:
            problems.append(problem)
    if problems:
        raise ValidationError({field_name: problems})
    return {pk: found[pk] for pk in ordered}


def missing_receivers_message(names: list[str]) -> str:
    """What a per-client hand-over says of the clients given no receiver (the first 20 named)."""
    if len(names) > 20:
        return _("Choose a receiver for %(count)d clients: %(names)s and more.") % {
            "count": len(names),
            "names": ", ".join(names[:20]),
        }
    return _("Choose a receiver for: %(names)s.") % {"names": ", ".join(names)}


def hand_over_plan(
    *, by: User, owner: User, to: Iterable | None = None, assignments: Mapping | None = None
) -> Plan:
    """What a hand-over of ``owner``'s book would move: evenly among ``to`` (clients dealt
    out in turn, by name and id) or ``assignments`` (client id → receiver id, every client of
    the book named). Writes nothing; raises ValidationError on bad input."""
    ensure_can_hand_over_book(by, owner)
    if (to is None) == (assignments is None):
        raise ValidationError({"to": _("Choose the receivers for an even split, or a receiver per client.")})
    book = book_of(owner)
    if book.is_empty:
        raise ValidationError(
            {
                "non_field_errors": _("%(name)s’s book is empty: there is nothing to hand over.")
                % {"name": owner.full_name}
            }
        )
    if to is not None:
        if isinstance(to, str | bytes | Mapping) or not isinstance(to, Iterable):
            raise ValidationError({"to": _("Give a list of receivers.")})
        receivers = _receivers(by=by, owner=owner, ids=list(to)[: MAX_RECEIVERS + 1], field_name="to")
        if not receivers:
            raise ValidationError({"to": _("Choose at least one receiver.")})
        people = list(receivers.values())
        mapping = {pk: people[index % len(people)] for index, (pk, _name) in enumerate(book.units)}
    else:
        if not isinstance(assignments, Mapping):
            raise ValidationError({"assignments": _("Give a receiver for each client.")})
        if len(assignments) > MAX_ASSIGNMENTS:
            raise ValidationError(
                {"assignments": _("Name at most %(limit)d clients.") % {"limit": MAX_ASSIGNMENTS}}
            )
        wanted = {_id(key, field_name="assignments"): value for key, value in assignments.items()}
        unit_ids = {pk for pk, _name in book.units}
        strangers = sorted(set(wanted) - unit_ids)
        if strangers:
            raise ValidationError(
                {
                    "assignments": _("Not in this book: %(ids)s.")
                    % {"ids": ", ".join(map(str, strangers[:20]))}
                }
            )
        missing = [name for pk, name in book.units if pk not in wanted]
        if missing:
            raise ValidationError({"assignments": missing_receivers_message(missing)})
        receivers = _receivers(by=by, owner=owner, ids=wanted.values(), field_name="assignments")
        mapping = {pk: receivers[_id(wanted[pk], field_name="assignments")] for pk, _name in book.units}
        people = sorted(receivers.values(), key=lambda person: (person.full_name, person.pk))
    plan = Plan(book=book, receivers=people, mapping=mapping)
    for receiver in people:
        plan.counts[receiver.pk] = {
            key: sum(n for pk, n in rows.items() if mapping[pk].pk == receiver.pk)
            for key, rows in book.by_part.items()
        }
    return plan


def hand_over_reason(*, owner: User, receiver: User) -> str:
    """The change reason every moved record's history carries."""
    return HAND_OVER % {"from": owner.full_name, "to": receiver.full_name}


@retry_on_lost_race
@transaction.atomic
def book_hand_over(
    *,
    by: User,
    owner: User,
    to: Iterable | None = None,
    assignments: Mapping | None = None,
    expected: str | None = None,
) -> HandOver:
    """Move ``owner``'s book in one transaction, as :func:`hand_over_plan` says, and record the
    hand-over. ``owner``'s row is locked first, so two hand-overs of one book run one after
    the other; the second finds the book changed under it and raises Conflict (as does a
    confirmation whose ``expected`` fingerprint, from its preview, no longer matches)."""
    seen = hand_over_plan(by=by, owner=owner, to=to, assignments=assignments)
    lock_one(User.objects, pk=owner.pk, gone=_("This person no longer exists."))
    try:
        plan = hand_over_plan(by=by, owner=owner, to=to, assignments=assignments)
    except ValidationError:
        if book_of(owner).is_empty:
            raise Conflict(
                _("This book was handed over at the same time; nothing is left to move.")
            ) from None
        raise
    if plan.fingerprint() != seen.fingerprint() or (expected and expected != plan.fingerprint()):
        raise Conflict(
            _("%(name)s’s book changed since the preview; look at the new preview and confirm again.")
            % {"name": owner.full_name}
        )
    reasons = {receiver.pk: hand_over_reason(owner=owner, receiver=receiver) for receiver in plan.receivers}
    moved: dict[int, dict[str, int]] = {receiver.pk: {} for receiver in plan.receivers}
    for part in parts():
        result = part.move(
            owner=owner, mapping=plan.mapping, by=by, reason=lambda receiver: reasons[receiver.pk]
        )
        for receiver in plan.receivers:
            moved[receiver.pk][part.key] = int(result.get(receiver.pk, 0))
    if moved != plan.counts:
        # The rows are locked and the plan was read after the owner's lock: a difference is a
        # write that slipped past the lock (a single reassignment at that very moment).
        raise Conflict()
    record = HandOver.objects.create(
        by=by,
        giver=owner,
        counts={str(pk): counts for pk, counts in moved.items()},
        clients={str(pk): who.pk for pk, who in plan.mapping.items()},
    )
    record.receivers.set(plan.receivers)
    return record


class BookNotEmpty(ValidationError):
    """Deactivating someone whose book still holds work: hand it over first."""

    def __init__(self, book: Book):
        self.book = book
        super().__init__(
            _("%(name)s still has work in their book; hand it over before deactivating them.")
            % {"name": book.owner.full_name},
            code="book_not_empty",
        )
