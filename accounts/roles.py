"""The seven roles and every role predicate: the one place that says what a role means.

Code elsewhere never compares ``user.role`` with a value; it asks one of these predicates
or uses one of these named role sets (each named for what it means). Write rules of an
app live in that app's ``rules.py`` and are built from these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HEAD = "head", _("Head of sales")
    LEAD = "lead", _("Team lead")
    REP = "rep", _("Sales rep")
    SDR = "sdr", _("Sales development rep")
    ACCOUNT_MANAGER = "account_manager", _("Key-account manager")
    ASSISTANT = "assistant", _("Sales assistant")
    ANALYST = "analyst", _("Sales analyst")


# Scope of what a role sees (SPEC §1): everything, its team's records, or its own.
SEES_EVERYTHING_ROLES = frozenset({Role.HEAD, Role.ANALYST})
TEAM_SCOPE_ROLES = frozenset({Role.LEAD, Role.ASSISTANT})
OWN_SCOPE_ROLES = frozenset({Role.REP, Role.SDR, Role.ACCOUNT_MANAGER})

# Managers review deals, reopen closed ones, reassign records and hand books over.
MANAGER_ROLES = frozenset({Role.HEAD, Role.LEAD})
# People who sell: they work a pipeline and log activities, so the board, the reports and
# the activity norms give each of them a row. Leads sell too (they own deals).
SELLING_ROLES = frozenset({Role.REP, Role.SDR, Role.ACCOUNT_MANAGER, Role.LEAD})
# Who carries a revenue quota: the plan is split among them, and an SDR hands a qualified
# lead over to one of them. SDRs are measured by activity, not revenue.
QUOTA_CARRYING_ROLES = frozenset({Role.REP, Role.ACCOUNT_MANAGER})
# Who may own a deal: the people who close. SDRs hand leads over before a deal exists;
# assistants and analysts never own deals.
DEAL_OWNER_ROLES = frozenset({Role.REP, Role.ACCOUNT_MANAGER, Role.LEAD, Role.HEAD})
# Who may own a client: everybody who sells, and the head.
CLIENT_OWNER_ROLES = frozenset({Role.HEAD, Role.LEAD, Role.REP, Role.SDR, Role.ACCOUNT_MANAGER})


def is_usable(user) -> bool:
    """A signed-in, active user: the only kind any rule grants anything to."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user, *roles) -> bool:
    return is_usable(user) and user.role in roles


def sells(user) -> bool:
    """An active person in a selling role (SELLING_ROLES)."""
    return has_role(user, *SELLING_ROLES)


def is_head(user) -> bool:
    return has_role(user, Role.HEAD)


def is_lead(user) -> bool:
    return has_role(user, Role.LEAD)


def is_sdr(user) -> bool:
    return has_role(user, Role.SDR)


def is_assistant(user) -> bool:
    return has_role(user, Role.ASSISTANT)


def is_analyst(user) -> bool:
    return has_role(user, Role.ANALYST)


def is_manager(user) -> bool:
    return is_usable(user) and user.role in MANAGER_ROLES


def sees_everything(user) -> bool:
    return is_usable(user) and user.role in SEES_EVERYTHING_ROLES


def sees_team(user) -> bool:
    """Leads and assistants: their scope is their team's records."""
    return is_usable(user) and user.role in TEAM_SCOPE_ROLES


def sees_only_own(user) -> bool:
    """True for roles whose scope is their own records (no one else's to filter by)."""
    return not is_usable(user) or user.role in OWN_SCOPE_ROLES


def may_own_deals(user) -> bool:
    return user is not None and getattr(user, "role", None) in DEAL_OWNER_ROLES


def may_own_clients(user) -> bool:
    return user is not None and getattr(user, "role", None) in CLIENT_OWNER_ROLES
