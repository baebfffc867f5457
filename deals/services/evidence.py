"""Facts (the evidence of a client's intent) and reviews of deals: recorded only here."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from clients.models import Activity
from core.dates import check_planned
from core.validation import full_clean
from deals.models import Deal, Fact, FactKind, Review, Verdict
from deals.rules import can_review
from deals.services.checks import _date_errors, _ensure_can_change, _too_long

# Longest free texts (the forms show the same limits; the API relies on these).
FACT_TEXT_MAX_LENGTH = 2000
REVIEW_COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def fact_add(
    *,
    deal: Deal,
    by: User,
    kind: str,
    text: str,
    happened_on: datetime.date | None = None,
    activity: Activity | None = None,
) -> Fact:
    """Record objective evidence of the client's intent on a deal."""
    _ensure_can_change(by, deal)
    today = timezone.localdate()
    errors: dict[str, str] = _date_errors({"happened_on": happened_on}, ["happened_on"])
    text = (text or "").strip()
    if kind not in FactKind.values:
        errors["kind"] = _("Choose what kind of fact this is.")
    if not text:
        errors["text"] = _("Say what happened — what the client did or asked.")
    elif len(text) > FACT_TEXT_MAX_LENGTH:
        errors["text"] = _too_long(text, FACT_TEXT_MAX_LENGTH)
    if happened_on and happened_on > today and "happened_on" not in errors:
        errors["happened_on"] = _("A fact is something that already happened.")
    if activity is not None and (
        activity.client_id != deal.client_id or activity.deal_id not in (None, deal.pk)
    ):
        errors["activity"] = _("This activity belongs to another client or deal.")
    if errors:
        raise ValidationError(errors)
    fact = Fact(
        deal=deal, kind=kind, text=text, happened_on=happened_on or today, recorded_by=by, activity=activity
    )
    full_clean(fact)
    fact.save()
    return fact


@transaction.atomic
def review_add(
    *,
    deal: Deal,
    by: User,
    verdict: str,
    comment: str = "",
    next_action: str = "",
    next_action_due: datetime.date | None = None,
) -> Review:
    """A lead's (of the owner's team) or the head's review of an open deal."""
    deal = get_visible_or_404(Deal.objects.select_related("stage", "owner"), by, pk=deal.pk)
    if not can_review(by, deal.owner):
        raise PermissionDenied(_("Only the owner's team lead or the head of sales reviews a deal."))
    errors: dict[str, str] = _date_errors({"next_action_due": next_action_due}, ["next_action_due"])
    if "next_action_due" not in errors:
        try:  # an agreed action is due from today on (a past date read as a coming one)
            check_planned(next_action_due, field="next_action_due")
        except ValidationError as exc:
            errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    comment = (comment or "").strip()
    next_action = (next_action or "").strip()
    if deal.stage.is_closed:
        errors["__all__"] = _("This deal is closed; only open deals are reviewed.")
    if verdict not in Verdict.values:
        errors["verdict"] = _("Choose a verdict.")
    if len(comment) > REVIEW_COMMENT_MAX_LENGTH:
        errors["comment"] = _too_long(comment, REVIEW_COMMENT_MAX_LENGTH)
    next_action_limit = Review._meta.get_field("next_action").max_length
    if len(next_action) > next_action_limit:
        errors["next_action"] = _too_long(next_action, next_action_limit)
    elif next_action_due and not next_action:
        errors["next_action"] = _("Describe the action that is due on that date.")
    if errors:
        raise ValidationError(errors)
    review = Review(
        deal=deal,
        reviewer=by,
        verdict=verdict,
        comment=comment,
        next_action=next_action,
        next_action_due=next_action_due,
        reviewed_at=timezone.now(),
    )
    full_clean(review)
    review.save()
    return review
