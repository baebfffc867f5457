"""Activities: calls, meetings, e-mails, visits and notes (what comes next is a task)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import ensure_can_write, lock_writable
from clients.models import Activity, ActivityKind, Client, Contact, Direction
from clients.rules import ensure_can_write_client_records
from clients.selectors import linked_deals
from clients.services.checks import hold_client
from core.dates import check_happened, errors_of
from core.filters import check_date_in_range
from core.locks import ensure_unchanged
from core.validation import full_clean

MAX_ACTIVITY_MINUTES = 24 * 60
MAX_OUTCOME_LENGTH = 5000


def _activity_errors(
    *,
    by: User,
    client: Client,
    kind: str,
    contact: Contact | None,
    deal,
    duration_minutes: int,
    direction: str,
    occurred_at: datetime.datetime | None,
    outcome: str,
    previous_occurred_at: datetime.datetime | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a valid kind of activity.")
    if direction and direction not in Direction.values:
        errors["direction"] = _("Choose a valid direction.")
    if contact is not None and contact.client_id != client.pk:
        errors["contact"] = _("This contact belongs to another client.")
    if deal is not None:
        # Through the Activity.deal relation, not an import of deals (see linked_deals).
        if not linked_deals(viewer=by).filter(pk=deal.pk).exists():
            # Worded like the form's answer to a made-up id: a hidden deal does not exist.
            errors["deal"] = _("Select a valid choice. That choice is not one of the available choices.")
        elif deal.client_id != client.pk:
            errors["deal"] = _("This deal belongs to another client.")
    if duration_minutes is None or duration_minutes < 0:
        errors["duration_minutes"] = _("Duration cannot be negative.")
    elif duration_minutes > MAX_ACTIVITY_MINUTES:
        errors["duration_minutes"] = _("An activity lasts at most %(limit)d minutes (a day).") % {
            "limit": MAX_ACTIVITY_MINUTES
        }
    if len(outcome or "") > MAX_OUTCOME_LENGTH:
        errors["outcome"] = _("Longer than %(limit)d characters.") % {"limit": MAX_OUTCOME_LENGTH}
    try:
        check_date_in_range(occurred_at)
    except ValidationError as error:
        errors["occurred_at"] = error.messages[0]
    errors.update(
        _date_policy_errors(
            errors,
            client=client,
            occurred_at=occurred_at,
            previous_occurred_at=previous_occurred_at,
        )
    )
    return errors


def _date_policy_errors(
    found: dict[str, str], *, client, occurred_at, previous_occurred_at
) -> dict[str, str]:
    """The date policy (core.dates): it happened, so not in the future nor before the client
    came into the CRM. An unchanged date of an existing record is left alone, so an old
    record still saves."""
    errors: dict[str, str] = {}
    if "occurred_at" not in found and (occurred_at is None or occurred_at != previous_occurred_at):
        errors.update(
            errors_of(check_happened, occurred_at, field="occurred_at", not_before=client.created_at)
        )
    return errors


@transaction.atomic
def activity_log(
    *,
    by: User,
    client: Client,
    kind: str = ActivityKind.CALL,
    occurred_at: datetime.datetime | None = None,
    direction: str = "",
    contact: Contact | None = None,
    deal=None,
    duration_minutes: int = 0,
    outcome: str = "",
) -> Activity:
    """Record a call, meeting, e-mail, visit or note. The one logging it owns it; they must
    see the client and be allowed to write activities for it (assistants may, for their team)."""
    client = ensure_can_write_client_records(by, client)
    hold_client(client)
    errors = _activity_errors(
        by=by,
        client=client,
        kind=kind,
        contact=contact,
        deal=deal,
        duration_minutes=duration_minutes,
        direction=direction,
        occurred_at=occurred_at,
        outcome=outcome,
    )
    if errors:
        raise ValidationError(errors)
    if kind not in (ActivityKind.CALL, ActivityKind.EMAIL):
        direction = ""
    activity = Activity(
        kind=kind,
        direction=direction,
        client=client,
        contact=contact,
        deal=deal,
        owner=by,
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        outcome=outcome.strip(),
    )
    full_clean(activity)
    activity.save()
    return activity


ACTIVITY_FIELDS = (
    "kind",
    "direction",
    "contact",
    "deal",
    "occurred_at",
    "duration_minutes",
    "outcome",
)


@transaction.atomic
def activity_update(
    *, by: User, activity: Activity, shown: dict[str, Any] | None = None, **changes: Any
) -> Activity:
    """Correct a logged activity. Who logged it stays its owner; the client does not change.
    ``shown``: what the edit page showed for the fields it changes; one someone else changed
    meanwhile is a ``RecordChanged`` and nothing is written."""
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update() got unexpected fields: {sorted(unknown)}")
    activity = lock_writable(by, activity)
    if shown:
        ensure_unchanged(activity, shown)
    # the client is read after the lock
    data = {field: getattr(activity, field) for field in ACTIVITY_FIELDS}
    data.update(changes)
    data["outcome"] = (data["outcome"] or "").strip()
    data["direction"] = data["direction"] or ""
    errors = _activity_errors(
        by=by,
        client=activity.client,
        kind=data["kind"],
        contact=data["contact"],
        deal=data["deal"],
        duration_minutes=data["duration_minutes"],
        direction=data["direction"],
        occurred_at=data["occurred_at"],
        outcome=data["outcome"],
        previous_occurred_at=activity.occurred_at,
    )
    if data["occurred_at"] is None:
        errors["occurred_at"] = _("Say when it happened.")
    if errors:
        raise ValidationError(errors)
    if data["kind"] not in (ActivityKind.CALL, ActivityKind.EMAIL):
        data["direction"] = ""
    for field, value in data.items():
        setattr(activity, field, value)
    full_clean(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, by: User, activity: Activity) -> None:
    ensure_can_write(by, activity)
    activity.delete()
