"""Pages of a book's hand-over (from the People page) and of deactivating someone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import HandOverChoice, receiver_label
from accounts.handover import BookNotEmpty, book_hand_over, book_of, hand_over_plan, parts
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
    choice = HandOverChoice(request.POST, receivers=receivers, owner=owner)
    status = 200
    if step in {"preview", "confirm"}:
        try:
            if step == "confirm":
                record = book_hand_over(
                    by=request.user,
                    owner=owner,
                    expected=request.POST.get("fingerprint") or None,
                    **choice.service_kwargs(),
                )
                messages.success(
                    request,
                    _("%(name)s’s book was handed over: %(summary)s.")
                    % {"name": owner.full_name, "summary": _summary(record.totals())},
                )
                return redirect("accounts:hand_over", pk=owner.pk)
            plan = hand_over_plan(by=request.user, owner=owner, **choice.service_kwargs())
            context.update(plan=plan, mode=choice.mode, template_rows=_rows(plan))
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
    if status == 400 and choice.by_hand:
        wrong_boxes.update(choice.empty_boxes(book.units))  # no receiver is a problem too
    context.update(
        book=book,
        totals=[(part.label, book.totals.get(part.key, 0)) for part in parts()],
        receivers=receivers,
        receiver_labels=[receiver_label(person) for person in receivers],
        # each client with what its box held when the page comes back with a problem
        units=[(pk, name, choice.typed(pk), str(pk) in wrong_boxes) for pk, name in book.units],
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
