"""Who may do what in reports: predicates on (user[, record]) used by services, views, the
API and (as context flags) templates. Role sets and role predicates come from accounts.roles."""

from __future__ import annotations

from accounts.roles import sees_everything, sees_team


def may_trigger_runs(user) -> bool:
    """The head and the analyst may start a run by hand (SPEC §1: the analyst changes
    nothing else) — exactly the roles that see everything."""
    return sees_everything(user)


def sees_department_rows(user) -> bool:
    """Head and analyst read the department's rows and headline."""
    return sees_everything(user)


def sees_team_rows(user) -> bool:
    """A lead or an assistant also reads their team's rows (not only their people's)."""
    return sees_team(user)
