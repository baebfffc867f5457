"""Who may do what with deals: who reviews, who reopens, who hands a deal to someone else,
who logs activities on a deal's client, which stages a deal may move to, and whose rows
the board shows. Built from the role sets and predicates of accounts.roles and the
helpers of accounts.visibility, so the role rules stay in one place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import (
    DEAL_OWNER_ROLES,
    SELLING_ROLES,
    is_head,
    is_lead,
    is_manager,
    is_sdr,
    is_usable,
    may_own_deals,
    sees_team,
)
from accounts.visibility import can_write, sees_everything, team_ids_of, writability_q
from clients.services import ensure_can_write_client_records
from deals.models import Deal, QuoteStatus, Stage, StageKind

__all__ = [
    "approvable_deals_q",
    "can_approve_discount",
    "can_manage_products",
    "can_reassign",
    "can_reopen",
    "decides_discounts",
    "can_review",
    "changes_no_deal",
    "deal_owner_choices",
    "explains_read_only_as_sdr",
    "may_change_deal",
    "may_decide_quote",
    "may_send_quote",
    "may_log_activities",
    "may_override_forecast",
    "may_set_forecast",
    "may_own_deals",
    "may_review_deal",
    "may_set_warning_settings",
    "scope_people",
    "selling_q",
    "stages_for_moves",
]


def changes_no_deal(user) -> bool:
    """True for those who may change no deal at all (read-only roles): pages then leave out
    the move controls instead of offering actions that would be refused."""
    condition = writability_q(
        user,
        Deal.visibility_owner_path,
        Deal.assistant_may_write,
        getattr(Deal, "sdr_writable", None),
    )
    return condition == Q(pk__in=[])


def explains_read_only_as_sdr(user) -> bool:
    """SDRs are told why they may not open or change deals (they hand leads over)."""
    return is_sdr(user)


def may_change_deal(user, deal) -> bool:
    """Whether ``user`` may edit, move, delete or add facts to ``deal``."""
    return can_write(user, deal)


# A proposal is sent (again) while a draft or sent, and decided on (accepted, rejected) once sent.
QUOTE_SENDABLE = (QuoteStatus.DRAFT, QuoteStatus.SENT)
QUOTE_DECIDABLE = (QuoteStatus.SENT,)


def may_send_quote(user, quote) -> bool:
    """Whether ``user`` may e-mail ``quote`` now (whether it has an address to go to is the
    quote's own ``contact_email``)."""
    return quote.status in QUOTE_SENDABLE and may_change_deal(user, quote.deal)


def may_decide_quote(user, quote) -> bool:
    """Whether ``user`` may record the client's answer to ``quote`` now."""
    return quote.status in QUOTE_DECIDABLE and may_change_deal(user, quote.deal)


def can_reopen(user) -> bool:
    """Moving a deal out of Won or Lost rewrites results, so only managers may."""
    return is_manager(user)


def can_change_won_deal(user) -> bool:
    """A won deal's amount, client and close date carry the schedule, booked figures and
    fulfilment: only managers correct them (with a reason)."""
    return is_manager(user)


def can_reassign(user) -> bool:
    """Only the head, or a lead within their team, hands a deal to another owner."""
    return is_manager(user)


def can_review(user, owner: User) -> bool:
    """The head reviews any deal; a lead reviews the deals of their own team's people."""
    if is_head(user):
        return True
    if not is_lead(user) or owner is None:
        return False
    if owner.pk == user.pk:
        return True
    return owner.team_id is not None and team_ids_of(user).filter(pk=owner.team_id).exists()


def can_manage_products(user) -> bool:
    """The head keeps the product catalogue; everybody else reads it."""
    return is_head(user)


def can_approve_discount(user, deal) -> bool:
    """A discount above a product's limit is decided by the deal owner's reviewer: their
    team lead, or the head."""
    return can_review(user, deal.owner)


def decides_discounts(user) -> bool:
    """Whether ``user`` decides anyone's discounts at all (the head and the leads): their
    home lists the discounts awaiting them."""
    return is_usable(user) and (is_head(user) or is_lead(user))


def approvable_deals_q(user, prefix: str = "") -> Q:
    """The deals whose discounts ``user`` decides (can_approve_discount as a filter): the
    head's all, a lead's own and their teams' people's, nobody else's. ``prefix`` reaches
    the deal from another model (``"deal__"`` on DealLine)."""
    if is_head(user):
        return Q()
    if not is_lead(user):
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_id": user.pk}) | Q(**{f"{prefix}owner__team_id__in": team_ids_of(user)})


def may_review_deal(user, deal) -> bool:
    """A review form shows for an open deal its owner's reviewer may review."""
    return can_review(user, deal.owner) and not deal.stage.is_closed


def may_set_forecast(user, deal) -> bool:
    """Whoever may change an open deal (its owner first of all) sets its forecast category."""
    return not deal.stage.is_closed and may_change_deal(user, deal)


def may_override_forecast(user, deal) -> bool:
    """The owner's reviewer (the head, or the lead of the owner's team) may override an open
    deal's forecast category with a note; the owner changes their own category instead."""
    return not deal.stage.is_closed and deal.owner_id != user.pk and can_review(user, deal.owner)


def may_log_activities(user, client) -> bool:
    """The activity form shows for those the clients app lets log on this client."""
    try:
        ensure_can_write_client_records(user, client)
    except (PermissionDenied, Http404):
        return False
    return True


def stages_for_moves() -> tuple[list[Stage], list[Stage]]:
    """All stages a deal may be moved to plus retired open stages that still hold deals
    (kanban columns), in one query: (open stages, closed stages)."""
    holds_deals = Exists(Deal.objects.filter(stage=OuterRef("pk")))
    stages = list(
        Stage.objects.filter(Q(is_active=True) | (Q(kind=StageKind.OPEN) & Q(holds_deals))).order_by(
            "order", "pk"
        )
    )
    return [s for s in stages if s.kind == StageKind.OPEN], [s for s in stages if s.is_active and s.is_closed]


def scope_people(viewer) -> QuerySet[User]:
    """The people whose deals the viewer sees — the board's rows and the owner filter's
    choices. Mirrors what Deal.objects.visible_to(viewer) lets through, by owner."""
    if not is_usable(viewer):
        return User.objects.none()
    if sees_everything(viewer):
        return User.objects.all()
    if sees_team(viewer):
        return User.objects.filter(Q(pk=viewer.pk) | Q(team_id__in=team_ids_of(viewer)))
    return User.objects.filter(pk=viewer.pk)


def deal_owner_choices(viewer) -> QuerySet[User]:
    """The active people in the viewer's scope whose role may own a deal."""
    return scope_people(viewer).filter(is_active=True, role__in=DEAL_OWNER_ROLES)


def selling_q() -> Q:
    """The active people who sell (accounts.roles.SELLING_ROLES, leads included): the board
    gives each of them in scope a row, as the reports do."""
    return Q(is_active=True, role__in=SELLING_ROLES)


def may_set_warning_settings(user) -> bool:
    """The head sets the deal warnings' thresholds and severities; everyone works with them."""
    return is_usable(user) and is_head(user)


def may_manage_lost_reasons(user) -> bool:
    """The head keeps the list of lost reasons (adds, renames, orders, deactivates); everyone
    who closes deals chooses from it."""
    return is_usable(user) and is_head(user)
