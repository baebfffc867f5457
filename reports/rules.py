"""Who may do what in reports: predicates on (user[, record]) used by services, views, the
API and (as context flags) templates. Role sets and role predicates come from accounts.roles."""

from __future__ import annotations

from django.db.models import Q

from accounts.roles import Role, is_head, is_lead, is_usable, sees_everything
from accounts.visibility import can_write, team_ids_of

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


# --- incentives --------------------------------------------------------------------------------
# Bonuses are pay. The rule (issue 14):
# - the head sets the bonus schemes (settings page and admin); nobody else changes them;
# - the head and the analyst see every person's bonus row; a lead sees the rows of their
#   team's people (and their own, if they have one);
# - everybody else (reps, account managers, SDRs, assistants) sees only their own row; of the
#   others they learn nothing but where they stand: their rank among everyone with a row for
#   the period (by fulfilment, then basis) and how many that is. No other person's basis,
#   fulfilment or bonus is shown to them, on the page, in the export or on the API.


def may_set_bonus_schemes(user) -> bool:
    return is_head(user)


def incentive_rows_q(user) -> Q | None:
    """Which bonus rows (``rep`` = the person) ``user`` sees; None means every row."""
    if not is_usable(user):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    if is_lead(user):
        return Q(rep_id=user.pk) | Q(rep__team_id__in=team_ids_of(user))
    return Q(rep_id=user.pk)
