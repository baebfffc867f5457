"""Moving a deal through the stages.

``deal_move`` is the only code that changes a deal's stage: conversion rates and sales
velocity are computed from StageChange rows, so nothing may change a stage behind the
history's back (``deal_update`` refuses a stage). A won renewal is linked to the deal it
renews, and the forecast category follows the new stage."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from clients.services import client_won
from core.errors import Conflict
from core.locks import lock_one, retry_on_lost_race
from deals.hooks import win_objections
from deals.models import Deal, DealType, LostReason, Stage, StageChange, StageKind
from deals.rules import can_reopen
from deals.services.checks import _lock
from deals.signals import deal_changed


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


@retry_on_lost_race
@transaction.atomic
def deal_move(
    *,
    deal: Deal,
    stage: Stage,
    by: User,
    lost_reason: LostReason | None = None,
    lost_comment: str = "",
    from_stage_id: int | None = None,
) -> Deal:
    """Move a deal to ``stage`` and record it.

    Lost needs a reason from the head's list (an active one) and may carry a comment; Won
    and Lost set the closed date; only a lead or the head moves a
    deal out of Won or Lost (the move is recorded like any other). The row is locked, so
    two people moving the same deal at once are serialised and the history neither
    skips nor repeats a step. A probability override is a judgement about the previous
    stage, so a move clears it and the new stage's default applies. ``from_stage_id``, the
    stage the user saw it at: when it is elsewhere now, the move is a ``Conflict``."""
    stage = Stage.objects.get(pk=stage.pk)
    if stage.kind == StageKind.WON:
        # A win makes the client a customer (client_won locks it): the client is locked
        # before the deal, in the order a reassignment of the client locks them (client, then
        # its deals); the other way round the two deadlocked and one answered 409.
        lock_one(Client.objects, pk=deal.client_id)
    current = _lock(deal, by)
    if current.stage_id == deal.stage_id and Deal.stage.is_cached(deal):
        # Still where the caller read it, with its stage: that stage row, not a second read.
        current.stage = deal.stage
    previous = current.stage
    if from_stage_id is not None and previous.pk != from_stage_id:
        # The user moved it from the stage the page showed; someone else moved it meanwhile.
        raise Conflict(
            _("“%(deal)s” was moved to %(stage)s meanwhile; look at it again.")
            % {"deal": current.title, "stage": previous.display_name}
        )
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
