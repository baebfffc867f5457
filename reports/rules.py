"""Who may do what in reports: predicates on (user[, record]) used by services, views, the
API and (as context flags) templates. Role sets and role predicates come from accounts.roles."""

from __future__ import annotations

from accounts.roles import Role, sees_everything
from accounts.visibility import can_write

# Who an overdue alert escalates to once it is past ESCALATE_AFTER_DAYS (SPEC §5).
ESCALATES_TO_ROLES = frozenset({Role.HEAD})


def may_trigger_runs(user) -> bool:
    """The head and the analyst may start a run by hand (SPEC §1: the analyst changes
    nothing else) — exactly the roles that see everything."""
    return sees_everything(user)


def may_acknowledge_alert(user, alert) -> bool:
    """Somebody who may act on the installment (the visibility rules' writers) may
    acknowledge an alert while it is open."""
    return alert.is_open and can_write(user, alert)
