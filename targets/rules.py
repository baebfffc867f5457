"""Who may set plans, adjust a team's split, set norms and keep a deal's receivables.

These are the targets app's few rules that ``accounts.visibility`` does not already
state; each one is expressed through its helpers, never through its own role tables."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Team, User
from accounts.roles import Role, is_assistant, is_lead, is_manager, is_usable
from accounts.visibility import team_ids_of, writability_q
from deals.models import Deal
from targets.models import ActivityNorm, Installment


def may_set_plans(user) -> bool:
    """The head sets and decomposes plans (the only role whose write scope is everything)."""
    return is_usable(user) and writability_q(user) is None


def ensure_can_set_plans(user) -> None:
    if not may_set_plans(user):
        raise PermissionDenied(_("Only the head of sales sets and splits plans."))


def plan_teams_adjustable_by(user):
    """Teams whose split between reps ``user`` may adjust: every team for the head, the
    teams they lead or belong to for a lead, none for anybody else."""
    if may_set_plans(user):
        return Team.objects.all()
    if is_lead(user):
        return Team.objects.filter(pk__in=team_ids_of(user))
    return Team.objects.none()


def may_adjust_team(user, team: Team) -> bool:
    return plan_teams_adjustable_by(user).filter(pk=team.pk).exists()


def ensure_can_adjust_team(user, team: Team) -> None:
    """404 when the team is not even visible to ``user``, 403 when it is but read-only."""
    if not Team.objects.visible_to(user).filter(pk=team.pk).exists():
        raise Http404(_("Not found."))
    if not may_adjust_team(user, team):
        raise PermissionDenied(_("You may not change this team's plan."))


def norm_people_for(user):
    """The people whose personal norm ``user`` may set: anybody for the head, the other
    people of their teams for a lead, nobody for anybody else."""
    if may_set_plans(user):
        return User.objects.all()
    if is_lead(user):
        return User.objects.filter(team_id__in=team_ids_of(user)).exclude(pk=user.pk)
    return User.objects.none()


def may_set_norm_for(user, person: User) -> bool:
    return norm_people_for(user).filter(pk=person.pk).exists()


def is_norm_role(role) -> bool:
    """A role norm is set for one of the roles (the form and the API offer their choices;
    anything else is refused as input)."""
    return role in Role.values


def may_change_norm(user, norm: ActivityNorm) -> bool:
    """A role norm is the head's to change or remove; a personal norm belongs to whoever
    may set that person's norm."""
    if norm.user_id is None:
        return may_set_plans(user)
    return may_set_norm_for(user, norm.user)


def receivable_deals_writable_by(user):
    """Deals whose payment schedule, payments and overdue reasons ``user`` may keep: the
    installment rules (assistants of the team included; SDRs none, as installments declare
    no ``sdr_writable``), applied to the deal's owner."""
    condition = writability_q(
        user,
        "owner",
        assistant_may_write=Installment.assistant_may_write,
        sdr_writable=getattr(Installment, "sdr_writable", None),
    )
    return Deal.objects.all() if condition is None else Deal.objects.filter(condition)


def may_keep_receivables(user, deal: Deal) -> bool:
    return receivable_deals_writable_by(user).filter(pk=deal.pk).exists()


def ensure_can_keep_receivables(user, deal: Deal) -> None:
    if not Deal.objects.visible_to(user).filter(pk=deal.pk).exists():
        raise Http404(_("Not found."))
    if not may_keep_receivables(user, deal):
        raise PermissionDenied(_("You may not change this deal's payments."))


def may_void_payment(user, deal: Deal) -> bool:
    """Voiding a payment takes money back out of collected figures: the assistant who keeps
    the team's receivables, its lead or the head does it (within the deals they keep), not
    the rep who owns the deal."""
    return (is_assistant(user) or is_manager(user)) and may_keep_receivables(user, deal)


def ensure_can_void_payment(user, deal: Deal) -> None:
    if not Deal.objects.visible_to(user).filter(pk=deal.pk).exists():
        raise Http404(_("Not found."))
    if not may_void_payment(user, deal):
        raise PermissionDenied(
            _("Only the team's assistant, its lead or the head of sales may void a payment.")
        )
