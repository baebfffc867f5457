"""Writes to a deal's details: opening, changing and deleting a deal, and correcting a won
one (moving it through the stages is in .moves, facts and reviews in .evidence).

Who may own a deal is decided here (accounts.roles.DEAL_OWNER_ROLES: reps, account managers,
team leads and the head); forms and the API only narrow their choices to match. SDRs
change no deal: they hand a qualified lead over to a rep, who opens the deal."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404, may_own
from clients.models import Client
from clients.services import client_won
from clients.services.checks import hold_client
from core.dates import check_happened, check_planned, errors_of
from core.locks import ensure_unchanged
from core.money import money_text
from core.validation import full_clean
from deals.models import Deal, DealType, Stage, StageChange, StageKind
from deals.rules import can_change_won_deal, can_reassign, can_reopen, changes_no_deal, may_own_deals
from deals.services.checks import _as_amount, _date_errors, _lock, read_only_message
from deals.signals import deal_changed

# The fields deal_update may change. Stage goes through deal_move; the client is fixed
# because activities, facts and payments hang off the deal under that client.
UPDATABLE_FIELDS = frozenset(
    {
        "title",
        "amount",
        "probability",
        "expected_close",
        "deal_type",
        "renewal_of",
        "service_start",
        "service_end",
        "owner",
    }
)


def default_stage() -> Stage | None:
    """Where a new deal starts: the first active open stage."""
    return Stage.objects.filter(kind=StageKind.OPEN, is_active=True).order_by("order", "pk").first()


DEAL_DATE_FIELDS = ("expected_close", "service_start", "service_end")
PLANNED_FIELDS = ("expected_close",)
# What a won deal's schedule, booked figures and fulfilment rest on: these change only
# through deal_won_change, by a lead or the head, with a reason.
WON_FIXED_FIELDS = ("amount", "client", "closed_at")


def _planned_errors(values: Mapping[str, Any], deal: Deal | None, found: Mapping[str, str]) -> dict:
    """The date policy (core.dates): what is planned is not in the past when set nor beyond
    the planning horizon; a date the deal already has is left alone."""
    errors: dict[str, str] = {}
    for name in PLANNED_FIELDS:
        if name in values and name not in found:
            previous = getattr(deal, name) if deal is not None else None
            errors.update(errors_of(check_planned, values[name], field=name, previous=previous))
    return errors


def _validate_fields(*, by: User, values: dict[str, Any], deal: Deal | None, client: Client) -> dict:
    """Field messages for the rules that model validation does not know."""
    errors: dict[str, str] = _date_errors(values, DEAL_DATE_FIELDS)
    errors.update(_planned_errors(values, deal, errors))
    if "title" in values and not (values["title"] or "").strip():
        errors["title"] = _("Give the deal a title.")
    if "amount" in values:
        amount = _as_amount(values["amount"])
        if amount is None or not amount.is_finite():
            errors["amount"] = _("Enter the amount as a number.")
        elif amount < 0:
            errors["amount"] = _("The amount cannot be negative.")
        else:
            values["amount"] = amount
    probability = values.get("probability")
    if probability is not None and not (0 <= probability <= 100):
        errors["probability"] = _("Probability is a percentage from 0 to 100.")
    if "deal_type" in values and values["deal_type"] not in DealType.values:
        errors["deal_type"] = _("Choose a valid type of deal.")
    start = values.get("service_start", deal.service_start if deal else None)
    end = values.get("service_end", deal.service_end if deal else None)
    if start and end and end < start and "service_end" not in errors:
        errors["service_end"] = _("The service period cannot end before it starts.")
    renewal_of = values.get("renewal_of")
    if renewal_of is not None:
        deal_type = values.get("deal_type", deal.deal_type if deal else DealType.NEW)
        if deal_type != DealType.RENEWAL:
            errors["renewal_of"] = _("Only a renewal renews an earlier deal.")
        elif deal is not None and renewal_of.pk == deal.pk:
            errors["renewal_of"] = _("A deal cannot renew itself.")
        elif renewal_of.client_id != client.pk:
            errors["renewal_of"] = _("The renewed deal belongs to another client.")
        elif not Deal.objects.visible_to(by).filter(pk=renewal_of.pk, stage__kind=StageKind.WON).exists():
            errors["renewal_of"] = _("Choose a won deal of this client.")
    return errors


def _check_owner(*, by: User, owner: User) -> None:
    """The owner must be someone ``by`` may give a deal to, in a role that owns deals."""
    if not may_own(by, owner, model=Deal):
        raise ValidationError({"owner": _("You may not give a deal to this person.")})
    if not may_own_deals(owner):
        raise ValidationError(
            {"owner": _("Deals belong to reps, account managers, team leads and the head of sales.")}
        )


@transaction.atomic
def deal_create(
    *,
    by: User,
    client: Client,
    title: str,
    amount: Decimal | int | str = Decimal("0"),
    owner: User | None = None,
    stage: Stage | None = None,
    probability: int | None = None,
    expected_close: datetime.date | None = None,
    deal_type: str = DealType.NEW,
    renewal_of: Deal | None = None,
    service_start: datetime.date | None = None,
    service_end: datetime.date | None = None,
) -> Deal:
    """Open a deal and record where it entered the pipeline (a StageChange from nowhere)."""
    client = get_visible_or_404(Client.objects.all(), by, pk=client.pk)
    hold_client(client)
    if changes_no_deal(by):
        raise PermissionDenied(read_only_message(by))
    owner = owner or by
    if owner.pk != by.pk and not can_reassign(by):
        raise PermissionDenied(_("Only a team lead or the head of sales may open a deal for someone else."))
    _check_owner(by=by, owner=owner)
    stage = stage or default_stage()
    values = {
        "title": title,
        "amount": amount,
        "probability": probability,
        "expected_close": expected_close,
        "deal_type": deal_type,
        "renewal_of": renewal_of,
        "service_start": service_start,
        "service_end": service_end,
    }
    errors = _validate_fields(by=by, values=values, deal=None, client=client)
    if stage is None or stage.kind != StageKind.OPEN or not stage.is_active:
        errors["stage"] = _("A new deal starts in an open stage; move it to won or lost afterwards.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    deal = Deal(
        title=title.strip(),
        client=client,
        owner=owner,
        amount=values["amount"],
        stage=stage,
        probability=probability,
        expected_close=expected_close,
        deal_type=deal_type,
        renewal_of=renewal_of,
        service_start=service_start,
        service_end=service_end,
        stage_changed_at=now,
        forecast_category=stage.default_forecast_category,
    )
    full_clean(deal)
    deal._history_user = by
    deal.save()
    StageChange.objects.create(deal=deal, from_stage=None, to_stage=stage, changed_by=by, changed_at=now)
    deal_changed.send(Deal, deal_id=deal.pk, event="created")
    return deal


@transaction.atomic
def deal_update(
    *, deal: Deal, by: User, data: Mapping[str, Any], shown: Mapping[str, Any] | None = None
) -> Deal:
    """Change a deal's details (not its stage). Only the fields in ``data`` are written,
    on a freshly locked row, so an update never undoes a concurrent move. ``shown``: what the
    edit page showed for the fields it changes; one someone else changed meanwhile is a
    ``Conflict`` and nothing is written.

    ``data`` may repeat the deal's stage and client (a full PUT does); a different stage
    or client is refused: the stage changes through deal_move, the client never."""
    unknown = set(data) - UPDATABLE_FIELDS - {"stage", "client"}
    if unknown:
        raise TypeError(f"deal_update does not change {sorted(unknown)}")
    current = _lock(deal, by)
    if shown:
        ensure_unchanged(current, shown)
    values = dict(data)
    fixed = {
        "stage": (current.stage_id, _("The stage changes only by moving the deal.")),
        "client": (current.client_id, _("The client of a deal cannot change.")),
    }
    for name, (current_id, message) in fixed.items():
        if name in values:
            given = values.pop(name)
            if getattr(given, "pk", given) != current_id:
                raise ValidationError({name: message})
    _refuse_closed_changes(current, values)
    _refuse_amount_of_lines(current, values)
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
    new_owner = values.get("owner")
    if new_owner is not None and new_owner.pk != current.owner_id:
        if not can_reassign(by):
            raise PermissionDenied(
                _("Only a team lead or the head of sales may hand a deal to someone else.")
            )
        _check_owner(by=by, owner=new_owner)
    elif "owner" in values and new_owner is None:
        raise ValidationError({"owner": _("A deal needs an owner.")})
    errors = _validate_fields(by=by, values=values, deal=current, client=current.client)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    if not changed:
        return current
    full_clean(current, exclude=["client", "owner", "stage", "renewal_of"])
    current._history_user = by
    current.save(update_fields=[*changed, "updated_at"])
    deal_changed.send(Deal, deal_id=current.pk, event="updated")
    return current


def _refuse_amount_of_lines(current: Deal, values: Mapping[str, Any]) -> None:
    """A deal with lines takes its amount from them (the lines' net total, deals.pricing):
    nobody types another one."""
    if "amount" not in values or not current.lines.exists():
        return
    amount = _as_amount(values["amount"])
    if amount is None or amount != current.amount:
        raise ValidationError(
            {"amount": _("This deal's amount is the sum of its lines; change the lines instead.")}
        )


def _refuse_closed_changes(current: Deal, values: Mapping[str, Any]) -> None:
    """A closed deal's probability follows its stage (won 100, lost 0): nobody sets it. A
    won deal's amount changes only through deal_won_change."""
    if not current.stage.is_closed:
        return
    errors = {}
    if values.get("probability") is not None and values["probability"] != current.probability:
        errors["probability"] = _("A closed deal's probability follows its stage; it cannot be set.")
    if current.stage.kind == StageKind.WON and "amount" in values:
        amount = _as_amount(values["amount"])
        if amount is None or amount != current.amount:
            errors["amount"] = _(
                "The deal is won: its amount changes only through a won-deal change by a team lead "
                "or the head of sales, with a reason."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deal_delete(*, deal: Deal, by: User) -> None:
    """Delete a deal entered by mistake. The owner may delete an open deal; closed deals are
    results, so only a lead or the head removes them; a deal with payments stays."""
    current = _lock(deal, by)
    if current.stage.is_closed and not can_reopen(by):
        raise PermissionDenied(_("Only a team lead or the head of sales may delete a closed deal."))
    if current.installments.filter(payments__isnull=False).exists():
        raise ValidationError(_("This deal has payments recorded against it and cannot be deleted."))
    current._history_user = by
    current.delete()


def _won_amount_error(current: Deal, amount) -> str | None:
    """Why a won deal cannot take ``amount``: not a number, negative, or a payment schedule
    that sums to something else (change the schedule first)."""
    value = _as_amount(amount)
    if value is None or not value.is_finite():
        return _("Enter the amount as a number.")
    if value < 0:
        return _("The amount cannot be negative.")
    scheduled = current.installments.aggregate(total=Sum("amount"))["total"]
    if value != current.amount and scheduled is not None and scheduled != value:
        return _(
            "The payment schedule sums to %(total)s; change the schedule first, so that it "
            "adds up to the new amount."
        ) % {"total": money_text(scheduled)}
    return None


@transaction.atomic
def deal_won_change(
    *,
    deal: Deal,
    by: User,
    reason: str,
    amount: Decimal | int | str | None = None,
    client: Client | None = None,
    closed_at: datetime.date | None = None,
) -> Deal:
    """Correct a won deal's amount, client or close date: a lead or the head does it, with
    a reason kept in the deal's history. The amount may not leave the payment schedule
    summing to something else (change the schedule first); the close date stays within the
    deal's life (not before it was created, not in the future)."""
    current = _lock(deal, by)
    if current.stage.kind != StageKind.WON:
        raise ValidationError({"deal": _("Only a won deal is changed this way; edit this deal as usual.")})
    if not can_change_won_deal(by):
        raise PermissionDenied(_("Only a team lead or the head of sales may change a won deal."))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the won deal changes.")
    elif len(reason) > 100:
        errors["reason"] = _("Keep the reason under 100 characters.")
    changed: list[str] = []
    if amount is not None:
        message = _won_amount_error(current, amount)
        if message:
            errors["amount"] = message
        elif current.amount != _as_amount(amount):
            current.amount = _as_amount(amount)
            changed.append("amount")
    if client is not None and client.pk != current.client_id:
        if not Client.objects.visible_to(by).filter(pk=client.pk).exists():
            errors["client"] = _("Select a valid choice. That choice is not one of the available choices.")
        else:
            current.client = client
            changed.append("client")
    if closed_at is not None and closed_at != current.closed_at:
        date_errors = _date_errors({"closed_at": closed_at}, ["closed_at"]) or errors_of(
            check_happened, closed_at, field="closed_at", not_before=current.created_at
        )
        errors.update(date_errors)
        if not date_errors:
            current.closed_at = closed_at
            changed.append("closed_at")
    if errors:
        raise ValidationError(errors)
    if not changed:
        return current
    current._history_user = by
    current._change_reason = reason
    current.save(update_fields=[*changed, "updated_at"])
    if "client" in changed:
        # The deal's activities follow it to its client; the new client is a customer now.
        current.activities.update(client=current.client)
        client_won(by=by, client=current.client)
    deal_changed.send(Deal, deal_id=current.pk, event="updated")
    return current
