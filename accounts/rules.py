"""Write rules of accounts: who may hand over whose book to whom, and who may deactivate whom."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _

from accounts.models import User, team_ids_of
from accounts.roles import CLIENT_OWNER_ROLES, QUOTA_CARRYING_ROLES, is_head, is_lead, is_usable


def holds_a_book(person: User) -> bool:
    """Whose work can be handed over: everybody who may own clients."""
    return person.role in CLIENT_OWNER_ROLES


def may_hand_over_book(by: User, owner: User) -> bool:
    """The head hands anyone's book over; a lead the book of a member of a team they lead or
    belong to (not their own). Nobody else."""
    if not is_usable(by) or owner is None or owner.pk == by.pk or not holds_a_book(owner):
        return False
    if is_head(by):
        return True
    if is_lead(by):
        return owner.team_id is not None and team_ids_of(by).filter(pk=owner.team_id).exists()
    return False


def ensure_can_hand_over_book(by: User, owner: User) -> None:
    if not may_hand_over_book(by, owner):
        raise PermissionDenied(
            _("Only the head of sales, or the lead of their team, may hand over this book.")
        )


def receiver_problem(*, by: User, owner: User, receiver: User) -> str | None:
    """Why ``receiver`` may not take over ``owner``'s work (None when they may): an active rep
    or account manager, not the owner; for a lead, of the owner's team."""
    if receiver.pk == owner.pk:
        return _("%(name)s cannot hand their book to themselves.") % {"name": receiver.full_name}
    if not receiver.is_active:
        return _("%(name)s is not active.") % {"name": receiver.full_name}
    if receiver.role not in QUOTA_CARRYING_ROLES:
        return _("%(name)s is not a rep or account manager.") % {"name": receiver.full_name}
    if not is_head(by) and (receiver.team_id is None or receiver.team_id != owner.team_id):
        return _("%(name)s is not in %(owner)s’s team.") % {
            "name": receiver.full_name,
            "owner": owner.full_name,
        }
    return None


def book_receivers(*, by: User, owner: User):
    """Whom ``by`` may hand ``owner``'s book to: the owner's team's active reps and account
    managers (the head: anyone's, the owner's team first)."""
    people = User.objects.filter(is_active=True, role__in=QUOTA_CARRYING_ROLES).exclude(pk=owner.pk)
    if not is_head(by):
        people = people.filter(team_id=owner.team_id) if owner.team_id else people.none()
    other_team = Case(When(team_id=owner.team_id, then=Value(0)), default=Value(1))
    return people.select_related("team").order_by(
        other_team, "team__name", "last_name", "first_name", "username"
    )


def may_see_hand_overs(user: User) -> bool:
    """The list of past hand-overs: the head (all of them) and leads (their teams')."""
    return is_usable(user) and (is_head(user) or is_lead(user))


def may_deactivate(by: User, person: User) -> bool:
    """Hiring and firing is the head's: the head deactivates anyone but themselves."""
    return is_head(by) and person.pk != by.pk and person.is_active


def ensure_can_deactivate(by: User, person: User) -> None:
    if not may_deactivate(by, person):
        raise PermissionDenied(_("Only the head of sales may deactivate staff."))
