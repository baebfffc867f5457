"""Every write to clients, contacts and activities goes through here."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404, may_own
from clients.models import Activity, ActivityKind, Client, Contact


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
    next_step: str = "",
    next_step_due: datetime.date | None = None,
) -> Activity:
    """Record a call, meeting, e-mail, visit or note. The one logging it owns it; they must
    see the client and be allowed to write activities for it (assistants may, for their team)."""
    client = get_visible_or_404(Client.objects.all(), by, pk=client.pk)
    if not may_own(by, by, assistant_may_write=Activity.assistant_may_write):
        raise PermissionDenied(_("You have read-only access."))
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a valid kind of activity.")
    if contact is not None and contact.client_id != client.pk:
        errors["contact"] = _("This contact belongs to another client.")
    if deal is not None and deal.client_id != client.pk:
        errors["deal"] = _("This deal belongs to another client.")
    if next_step_due is not None and not next_step.strip():
        errors["next_step"] = _("Describe the next step that is due on that date.")
    if duration_minutes < 0:
        errors["duration_minutes"] = _("Duration cannot be negative.")
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
        next_step=next_step.strip(),
        next_step_due=next_step_due,
    )
    activity.full_clean()
    activity.save()
    return activity
