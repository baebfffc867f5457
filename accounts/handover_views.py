"""Pages of a book's hand-over (from the People page) and of deactivating someone."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.handover import (
    BookNotEmpty,
    book_hand_over,
    book_of,
    hand_over_plan,
    missing_receivers_message,
    parts,
)
from accounts.models import User
from accounts.rules import (
    book_receivers,
    ensure_can_deactivate,
    ensure_can_hand_over_book,
    may_see_hand_overs,
)
from accounts.selectors import hand_over_list, hand_over_receiver_counts
from accounts.services import user_deactivate
from core.errors import Conflict
from core.http import query_without

MODE_EVEN = "even"
MODE_BY_HAND = "hand"


def receiver_label(person: User) -> str:
    """How a receiver is named in the per-client boxes (their list offers these): the name,
    and the login, which no two people share."""
    return f"{person.full_name} ({person.username})"


class WrongBoxes(ValidationError):
    """Clients' boxes with a name that is no receiver's, and the empty ones beside them, said
    at once; ``client_ids`` are those boxes' clients (the page marks them)."""

    def __init__(self, messages: list[str], client_ids: set[str]):
        super().__init__(messages)
        self.client_ids = client_ids


def _receivers_by_name(receivers) -> dict[str, int]:
    """Each receiver by the list's name for them, and by their name alone where no other
    receiver shares it (what a person types before picking from the list)."""
    names = Counter(person.full_name for person in receivers)
    by_name = {person.full_name: person.pk for person in receivers if names[person.full_name] == 1}
    return by_name | {receiver_label(person): person.pk for person in receivers}


def _choice(request, receivers, owner: User) -> dict:
    """The hand-over the form asked for, as the service's keyword arguments. Per client the
    form sends a receiver as its list names them (or an id, as the API does)."""
    if request.POST.get("mode") == MODE_BY_HAND:
        prefix = "assign_"
        by_name = _receivers_by_name(receivers)
        assignments, unknown = {}, []
        for key, value in request.POST.items():
            value = value.strip()
            if not key.startswith(prefix) or not value:
                continue
            if value.isascii() and value.isdigit():
                assignments[key[len(prefix) :]] = value
            elif value in by_name:
                assignments[key[len(prefix) :]] = by_name[value]
            else:
                unknown.append((key[len(prefix) :], value[:100]))
        if unknown:
            units = book_of(owner).units
            clients = {str(pk): name for pk, name in units}
            problems = [
                _("%(client)s: no receiver is named “%(name)s”; choose one from the list.")
                % {"client": clients.get(client_id, client_id), "name": name}
                for client_id, name in unknown[:10]
            ]
            empty = _empty_boxes(request, units)
            if empty:
                problems.append(missing_receivers_message([clients[pk] for pk in empty]))
            # the view marks the empty boxes with the others (hand_over_page)
            raise WrongBoxes(problems, {client_id for client_id, _name in unknown})
        return {"assignments": assignments}
    return {"to": request.POST.getlist("to")}


def _empty_boxes(request, units) -> list[str]:
    """The ids of the book's clients whose box was sent empty (or not at all)."""
    return [str(pk) for pk, _name in units if not request.POST.get(f"assign_{pk}", "").strip()]


def _problems(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def hand_over_page(request, pk: int):
    """Choose the receivers (even split) or a receiver per client, see exactly what moves,
    confirm. Each step re-reads the book; the confirmation carries the preview's fingerprint,
    so a book that changed meanwhile is shown again instead of moved."""
    owner = get_object_or_404(User.objects.visible_to(request.user).select_related("team"), pk=pk)
    ensure_can_hand_over_book(request.user, owner)
    step = request.POST.get("step") if request.method == "POST" else None
    context = {"owner": owner, "kinds": [(part.key, part.label) for part in parts()], "posted": request.POST}
    receivers = list(book_receivers(by=request.user, owner=owner))
    status = 200
    if step in {"preview", "confirm"}:
        try:
            if step == "confirm":
                record = book_hand_over(
                    by=request.user,
                    owner=owner,
                    expected=request.POST.get("fingerprint") or None,
                    **_choice(request, receivers, owner),
                )
                messages.success(
                    request,
                    _("%(name)s’s book was handed over: %(summary)s.")
                    % {"name": owner.full_name, "summary": _summary(record.totals())},
                )
                return redirect("accounts:hand_over", pk=owner.pk)
            plan = hand_over_plan(by=request.user, owner=owner, **_choice(request, receivers, owner))
            context.update(plan=plan, mode=request.POST.get("mode", MODE_EVEN), template_rows=_rows(plan))
            return render(request, "accounts/hand_over_preview.html", context)
        except ValidationError as error:
            context["problems"] = _problems(error)
            context["wrong_boxes"] = getattr(error, "client_ids", set())
            status = 400
        except Conflict as conflict:
            context["problems"] = [str(conflict)]
            status = 409
    book = book_of(owner)
    wrong_boxes = set(context.get("wrong_boxes", ()))
    if status == 400 and request.POST.get("mode") == MODE_BY_HAND:
        wrong_boxes.update(_empty_boxes(request, book.units))  # no receiver is a problem too
    context.update(
        book=book,
        totals=[(part.label, book.totals.get(part.key, 0)) for part in parts()],
        receivers=receivers,
        receiver_labels=[receiver_label(person) for person in receivers],
        # each client with what its box held when the page comes back with a problem
        units=[
            (pk, name, request.POST.get(f"assign_{pk}", ""), str(pk) in wrong_boxes)
            for pk, name in book.units
        ],
        chosen=set(request.POST.getlist("to")),
    )
    return render(request, "accounts/hand_over.html", context, status=status)


def _rows(plan) -> list[dict]:
    keys = [part.key for part in parts()]
    return [
        {
            "receiver": row["receiver"],
            "clients": row["clients"],
            "counts": [row["counts"].get(key, 0) for key in keys],
        }
        for row in plan.rows()
    ]


def _summary(totals: dict[str, int]) -> str:
    return ", ".join(f"{part.label} {totals.get(part.key, 0)}" for part in parts())


@login_required
@require_POST
def deactivate_view(request, pk: int):
    """Deactivate someone (the head): an empty book is required, else the hand-over first."""
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    ensure_can_deactivate(request.user, person)
    try:
        user_deactivate(user=person, by=request.user)
    except BookNotEmpty as not_empty:
        messages.error(
            request,
            _("%(problem)s Their book: %(summary)s.")
            % {
                "problem": not_empty.messages[0],
                "summary": _summary(not_empty.book.totals),
            },
        )
        return redirect("accounts:hand_over", pk=person.pk)
    messages.success(request, _("%(name)s was deactivated.") % {"name": person.full_name})
    return redirect("accounts:staff")


HAND_OVERS_PER_PAGE = 25


@login_required
def hand_over_list_page(request):
    """Past hand-overs: when, by whom, whose book, to whom and how many of each kind; the
    head sees all of them, a lead their teams'. Paginated; a constant number of queries."""
    if not may_see_hand_overs(request.user):
        raise PermissionDenied
    kinds = [(part.key, part.label) for part in parts()]
    keys = [key for key, _label in kinds]
    page = Paginator(hand_over_list(viewer=request.user), HAND_OVERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "record": record,
            "receivers": [
                (
                    person,
                    [(label, count) for (_key, label), count in zip(kinds, counts, strict=True) if count],
                )
                for person, counts in hand_over_receiver_counts(record, keys)
            ],
            "totals": [record.totals().get(key, 0) for key in keys],
        }
        for record in page.object_list
    ]
    return render(
        request,
        "accounts/hand_over_list.html",
        {"kinds": kinds, "rows": rows, "page": page, "query": query_without(request, "page")},
    )
