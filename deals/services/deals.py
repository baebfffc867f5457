"""Writes to deals and their stage history (facts and reviews are in .evidence).

``deal_move`` is the only code that changes a deal's stage: conversion rates and sales
velocity are computed from StageChange rows, so nothing may change a stage behind the
history's back (``deal_update`` refuses a stage).

Who may own a deal is decided here (accounts.roles.DEAL_OWNER_ROLES: reps, account managers,
team leads and the head); forms and the API only narrow their choices to match. SDRs
change no deal: they hand a qualified lead over to a rep, who opens the deal."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import ensure_can_write, get_visible_or_404, may_own
from clients.models import Client
from clients.services import client_won
from core.dates import check_happened, check_planned, errors_of
from core.filters import check_date_in_range
from core.locks import lock_one
from core.money import money_text
from deals.hooks import win_objections
from deals.models import Deal, DealType, LostReason, Stage, StageChange, StageKind
from deals.rules import (
    can_change_won_deal,
    can_reassign,
    can_reopen,
    changes_no_deal,
    explains_read_only_as_sdr,
    may_own_deals,
)
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


def _as_amount(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


DEAL_DATE_FIELDS = ("expected_close", "service_start", "service_end")
PLANNED_FIELDS = ("expected_close",)
# What a won deal's schedule, booked figures and fulfilment rest on: these change only
# through deal_won_change, by a lead or the head, with a reason.
WON_FIXED_FIELDS = ("amount", "client", "closed_at")


def _date_errors(values: Mapping[str, Any], names) -> dict[str, str]:
    """Dates far outside what a sales department plans (year 1, 9999) would overflow the
    date arithmetic of the board and the reports: refuse them as field errors."""
    errors = {}
    for name in names:
        try:
            check_date_in_range(values.get(name))
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    return errors


def _planned_errors(values: Mapping[str, Any], deal: Deal | None, found: Mapping[str, str]) -> dict:
    """The date policy (core.dates): what is planned is not in the past when set nor beyond
    the planning horizon; a date the deal already has is left alone."""
    errors: dict[str, str] = {}
    for name in PLANNED_FIELDS:
        if name in values and name not in found:
            previous = getattr(deal, name) if deal is not None else None
            errors.update(errors_of(check_planned, values[name], field=name, previous=previous))
    return errors


def _too_long(text: str, limit: int) -> str:
    return _("Keep this under %(limit)s characters (it has %(length)s).") % {
        "limit": limit,
        "length": len(text),
    }


def read_only_message(user: User) -> str:
    if explains_read_only_as_sdr(user):
        return _(
            "SDRs do not open or change deals: hand the qualified lead over to a rep, who opens the deal."
        )
    return _("You have read-only access to deals.")


def _ensure_can_change(by: User, deal: Deal) -> None:
    """404 when the deal is hidden from ``by``; PermissionDenied (saying why, for an SDR)
    when it is visible but not theirs to change."""
    try:
        ensure_can_write(by, deal)
    except PermissionDenied:
        if explains_read_only_as_sdr(by):
            raise PermissionDenied(read_only_message(by)) from None
        raise


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
    deal.full_clean()
    deal._history_user = by
    deal.save()
    StageChange.objects.create(deal=deal, from_stage=None, to_stage=stage, changed_by=by, changed_at=now)
    deal_changed.send(Deal, deal_id=deal.pk, event="created")
    return deal


def _lock(deal: Deal, by: User) -> Deal:
    """The deal's current row, locked until the transaction ends: a concurrent move or
    update waits here and then works on what the first one wrote."""
    _ensure_can_change(by, deal)
    # No joins in the locking query: after waiting, PostgreSQL re-checks a locked row
    # against the rows it joined before the wait, so a join on the (changed) stage would
    # drop the row. The stage and owner are read after the lock instead.
    return lock_one(Deal.objects, pk=deal.pk)


@transaction.atomic
def deal_update(*, deal: Deal, by: User, data: Mapping[str, Any]) -> Deal:
    """Change a deal's details (not its stage). Only the fields in ``data`` are written,
    on a freshly locked row, so an update never undoes a concurrent move.

    ``data`` may repeat the deal's stage and client (a full PUT does); a different stage
    or client is refused: the stage changes through deal_move, the client never."""
    unknown = set(data) - UPDATABLE_FIELDS - {"stage", "client"}
    if unknown:
        raise TypeError(f"deal_update does not change {sorted(unknown)}")
    current = _lock(deal, by)
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
    current.full_clean(exclude=["client", "owner", "stage", "renewal_of"])
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


def _renewed_deal(deal: Deal) -> Deal | None:
    """The client's won deal this renewal continues: the one whose service period ends
    last and that no won deal renews yet."""
    return (
        Deal.objects.filter(client_id=deal.client_id, stage__kind=StageKind.WON, service_end__isnull=False)
        .exclude(pk=deal.pk)
        .exclude(renewals__stage__kind=StageKind.WON)
        .order_by(F("service_end").desc(), "-pk")
        .first()
    )


@transaction.atomic
def deal_move(
    *,
    deal: Deal,
    stage: Stage,
    by: User,
    lost_reason: LostReason | None = None,
    lost_comment: str = "",
) -> Deal:
    """Move a deal to ``stage`` and record it.

    Lost needs a reason from the head's list (an active one) and may carry a comment; Won
    and Lost set the closed date; only a lead or the head moves a
    deal out of Won or Lost (the move is recorded like any other). The row is locked, so
    two people moving the same deal at once are serialised and the history neither
    skips nor repeats a step. A probability override is a judgement about the previous
    stage, so a move clears it and the new stage's default applies."""
    current = _lock(deal, by)
    stage = Stage.objects.get(pk=stage.pk)
    previous = current.stage
    comment = (lost_comment or "").strip()
    if stage.pk == previous.pk:
        raise ValidationError({"stage": _("The deal is already at “%(stage)s”.") % {"stage": stage.name}})
    if not stage.is_active:
        raise ValidationError({"stage": _("This stage is no longer in use.")})
    if previous.is_closed and not can_reopen(by):
        raise PermissionDenied(_("Only a team lead or the head of sales may reopen a closed deal."))
    if stage.kind == StageKind.LOST:
        _check_lost_reason(lost_reason, comment)
    if stage.kind == StageKind.WON:
        # Higher apps' conditions for a win (documents: an approved contract), deals.hooks.
        blocking = [objection.message for objection in win_objections(current) if objection.blocks]
        if blocking:
            raise ValidationError({"stage": blocking})
    now = timezone.now()
    fields = [
        "stage",
        "probability",
        "stage_changed_at",
        "closed_at",
        "lost_reason",
        "lost_comment",
        "updated_at",
    ]
    fields += follow_stage_category(current, stage)
    current.stage = stage
    current.probability = None
    current.stage_changed_at = now
    is_lost = stage.kind == StageKind.LOST
    current.lost_reason = lost_reason if is_lost else None
    current.lost_comment = comment if is_lost else ""
    if stage.kind == StageKind.OPEN:
        current.closed_at = None
    elif stage.kind == StageKind.WON:
        current.closed_at = timezone.localdate()
        if current.deal_type == DealType.RENEWAL:
            fields += _link_renewal(current)
    else:
        current.closed_at = timezone.localdate()
    current._history_user = by
    current.save(update_fields=fields)
    if stage.kind == StageKind.WON:
        # Winning a deal makes its client a customer (the lifecycle stays in clients).
        client_won(by=by, client=current.client)
    StageChange.objects.create(
        deal=current,
        from_stage=previous,
        to_stage=stage,
        changed_by=by,
        changed_at=now,
        lost_reason=current.lost_reason,
        lost_comment=current.lost_comment,
    )
    event = {StageKind.WON: "won", StageKind.LOST: "lost"}.get(stage.kind, "moved")
    deal_changed.send(Deal, deal_id=current.pk, event=event)
    return current


def _check_lost_reason(reason: LostReason | None, comment: str) -> None:
    """A deal is closed as lost with a reason from the list (still in use) and a comment of
    at most 300 characters."""
    if reason is None:
        raise ValidationError(
            {
                "lost_reason": _(
                    "Choose why the deal was lost: a deal cannot be closed as lost without a reason."
                )
            }
        )
    if not LostReason.objects.filter(pk=reason.pk, is_active=True).exists():
        raise ValidationError({"lost_reason": _("This reason is no longer in use: choose another one.")})
    if len(comment) > Deal._meta.get_field("lost_comment").max_length:
        raise ValidationError({"lost_comment": _("Keep the comment under 300 characters.")})


def follow_stage_category(deal: Deal, stage: Stage) -> list[str]:
    """A deal's forecast category follows its new stage's default unless the owner chose
    one for an open deal; a closed deal takes its stage's (won commit, lost omitted) and
    drops a manager's override, which was a judgement about an open deal."""
    if stage.kind == StageKind.OPEN and deal.forecast_category_set:
        return []
    deal.forecast_category = stage.default_forecast_category
    deal.forecast_category_set = False
    changed = ["forecast_category", "forecast_category_set"]
    if stage.kind != StageKind.OPEN and deal.forecast_override:
        deal.forecast_override = ""
        changed.append("forecast_override")
    return changed


def _link_renewal(deal: Deal) -> list[str]:
    """A won renewal points at the deal it renews (the renewal rate counts these links)
    and, when its own service period is not given, continues the renewed one's."""
    changed = []
    renewed = deal.renewal_of if deal.renewal_of_id else _renewed_deal(deal)
    if renewed is None:
        return changed
    if deal.renewal_of_id is None:
        deal.renewal_of = renewed
        changed.append("renewal_of")
    if deal.service_start is None and deal.service_end is None and renewed.service_end:
        deal.service_start = renewed.service_end + datetime.timedelta(days=1)
        if renewed.service_start:
            deal.service_end = deal.service_start + (renewed.service_end - renewed.service_start)
        changed += ["service_start", "service_end"]
    return changed


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
