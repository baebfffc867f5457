"""The deal-specific rules on top of accounts.visibility: who reviews, who reopens, who
hands a deal to someone else, and whose rows the board shows. They only combine the
helpers of accounts.visibility so the role rules stay in one place."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.roles import OWN_SCOPE_ROLES, TEAM_SCOPE_ROLES
from accounts.visibility import sees_everything, team_ids_of, writability_q

# Who takes part in the pipeline: the board has a row for each of them in scope.
SELLING_ROLES = frozenset(OWN_SCOPE_ROLES)
# Managers: they review deals, reopen closed ones and reassign deals.
MANAGER_ROLES = frozenset({Role.HEAD, Role.LEAD})
# Who may own a deal: the people who sell and close. SDRs qualify leads and hand them over
# to a rep, who opens the deal; assistants and analysts never own deals. Enforced by
# deals.services (the owner choices of the forms only mirror it).
DEAL_OWNER_ROLES = frozenset({Role.REP, Role.ACCOUNT_MANAGER, Role.LEAD, Role.HEAD})


def _usable(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_manager(user) -> bool:
    return _usable(user) and user.role in MANAGER_ROLES


def changes_no_deal(user) -> bool:
    """True for those who may change no deal at all (read-only roles): pages then leave out
    the move controls instead of offering actions that would be refused."""
    from deals.models import Deal

    condition = writability_q(
        user,
        Deal.visibility_owner_path,
        Deal.assistant_may_write,
        getattr(Deal, "sdr_writable", None),
    )
    return condition == Q(pk__in=[])


def may_own_deals(user) -> bool:
    """Whether ``user``'s role may hold deals (see DEAL_OWNER_ROLES)."""
    return user is not None and getattr(user, "role", None) in DEAL_OWNER_ROLES


def can_reopen(user) -> bool:
    """Moving a deal out of Won or Lost rewrites results, so only managers may."""
    return is_manager(user)


def can_reassign(user) -> bool:
    """Only the head, or a lead within their team, hands a deal to another owner."""
    return is_manager(user)


def can_review(user, owner: User) -> bool:
    """The head reviews any deal; a lead reviews the deals of their own team's people."""
    if not _usable(user):
        return False
    if user.role == Role.HEAD:
        return True
    if user.role != Role.LEAD or owner is None:
        return False
    if owner.pk == user.pk:
        return True
    return owner.team_id is not None and team_ids_of(user).filter(pk=owner.team_id).exists()


def scope_people(viewer) -> QuerySet[User]:
    """The people whose deals the viewer sees — the board's rows and the owner filter's
    choices. Mirrors what Deal.objects.visible_to(viewer) lets through, by owner."""
    if not _usable(viewer):
        return User.objects.none()
    if sees_everything(viewer):
        return User.objects.all()
    if viewer.role in TEAM_SCOPE_ROLES:
        return User.objects.filter(Q(pk=viewer.pk) | Q(team_id__in=team_ids_of(viewer)))
    return User.objects.filter(pk=viewer.pk)
