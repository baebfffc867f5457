"""Overdue-debt alerts, kept current by the nightly run (SPEC §5).

For the date ``today`` an installment is overdue when its due date has passed with
something outstanding. Each such installment has exactly one alert: created the first
night it is overdue, refreshed every night (days overdue, aging bucket, outstanding, the
latest reason and promised date), escalated once it is more than 30 days overdue, and
resolved once it is no longer overdue (paid, or rescheduled); it reopens if it falls
overdue again. Every level notifies its people once — the owner and their team lead when
the alert opens, the head when it escalates — and the unique (alert, level, recipient)
constraint keeps a re-run from notifying twice."""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.visibility import ensure_can_write, get_visible_or_404
from reports.models import AlertLevel, AlertStatus, Notification, NotificationPreference, OverdueAlert
from reports.services.common import RunResult
from reports.services.notifications import notifications_send_pending, unread_count_forget
from targets.models import Installment, OverdueReason
from targets.selectors import installments_with_balance

ALERT_FIELDS = (
    "status",
    "level",
    "due_date",
    "days_overdue",
    "bucket",
    "outstanding",
    "reason",
    "promised_date",
    "escalated_on",
    "resolved_on",
    "checked_on",
)


def overdue_installments(*, today: datetime.date):
    """Every installment overdue on ``today``, with its figures computed in the database."""
    latest_reason = OverdueReason.objects.filter(installment=OuterRef("pk")).order_by("-recorded_at", "-pk")
    return (
        installments_with_balance(Installment.objects.all(), today=today)
        .filter(due_date__lt=today, outstanding__gt=0)
        .annotate(
            latest_reason=Subquery(latest_reason.values("reason")[:1]),
            latest_promised_date=Subquery(latest_reason.values("promised_date")[:1]),
        )
    )


def _level_for(days_overdue: int) -> int:
    return AlertLevel.ESCALATED if days_overdue > OverdueAlert.ESCALATE_AFTER_DAYS else AlertLevel.OVERDUE


def _changed(alert: OverdueAlert, values: dict) -> bool:
    return any(getattr(alert, name) != value for name, value in values.items())


def alerts_refresh(*, today: datetime.date, send_email: bool = True) -> RunResult:
    """Bring the alerts up to date for ``today`` and notify; then send the e-mails of the
    notifications created (after the commit, so a rolled-back run mails nobody)."""
    result = _alerts_refresh(today=today, send_email=send_email)
    if send_email and not result.skipped:
        notifications_send_pending()
    return result


@transaction.atomic
def _alerts_refresh(*, today: datetime.date, send_email: bool) -> RunResult:
    latest = OverdueAlert.objects.aggregate(latest=Max("checked_on"))["latest"]
    if latest is not None and latest > today:
        return RunResult(
            rows_written=0,
            rows_total=0,
            skipped=f"Alerts were already brought up to {latest.isoformat()}; they never move back in time.",
        )
    now = timezone.now()
    overdue_queryset = overdue_installments(today=today)
    overdue = {
        row["pk"]: row
        for row in overdue_queryset.values(
            "pk",
            "due_date",
            "outstanding",
            "bucket",
            "latest_reason",
            "latest_promised_date",
            "deal__owner_id",
            "deal__owner__team__lead_id",
        )
    }
    existing = {
        alert.installment_id: alert
        for alert in OverdueAlert.objects.filter(
            Q(status=AlertStatus.OPEN) | Q(installment__in=overdue_queryset.values("pk"))
        )
    }

    to_create, to_update = [], []
    for installment_id, row in overdue.items():
        days = (today - row["due_date"]).days
        alert = existing.pop(installment_id, None)
        level = max(_level_for(days), alert.level if alert else AlertLevel.OVERDUE)
        values = {
            "status": AlertStatus.OPEN,
            "level": level,
            "due_date": row["due_date"],
            "days_overdue": days,
            "bucket": row["bucket"],
            "outstanding": row["outstanding"],
            "reason": row["latest_reason"] or "",
            "promised_date": row["latest_promised_date"],
            "escalated_on": (alert.escalated_on if alert and alert.escalated_on else None)
            or (today if level == AlertLevel.ESCALATED else None),
            "resolved_on": None,
            "checked_on": today,
        }
        if alert is None:
            to_create.append(
                OverdueAlert(installment_id=installment_id, opened_on=today, updated_at=now, **values)
            )
        elif _changed(alert, values):
            for name, value in values.items():
                setattr(alert, name, value)
            alert.updated_at = now
            to_update.append(alert)

    # What is left was open but is no longer overdue: paid, or its due date moved.
    no_longer_overdue = list(existing.values())
    balances = dict(
        installments_with_balance(
            Installment.objects.filter(pk__in=[a.installment_id for a in no_longer_overdue])
        ).values_list("pk", "outstanding")
    )
    for alert in no_longer_overdue:
        alert.status = AlertStatus.RESOLVED
        alert.resolved_on = today
        alert.checked_on = today
        alert.outstanding = max(balances.get(alert.installment_id, alert.outstanding), 0)
        alert.updated_at = now
        to_update.append(alert)

    OverdueAlert.objects.bulk_create(to_create, batch_size=500)
    OverdueAlert.objects.bulk_update(to_update, fields=[*ALERT_FIELDS, "updated_at"], batch_size=500)
    notified = _notify(overdue=overdue, send_email=send_email)
    return RunResult(
        rows_written=len(to_create) + len(to_update) + notified,
        rows_total=OverdueAlert.objects.filter(status=AlertStatus.OPEN).count(),
    )


def _notify(*, overdue: dict[int, dict], send_email: bool) -> int:
    """Create the notifications each open alert's levels call for and nobody has had yet."""
    alerts = OverdueAlert.objects.filter(
        status=AlertStatus.OPEN, installment_id__in=list(overdue)
    ).values_list("pk", "installment_id", "level")
    heads = list(User.objects.filter(role=Role.HEAD, is_active=True).values_list("pk", flat=True))
    wanted: set[tuple[int, int, int]] = set()
    for alert_id, installment_id, level in alerts:
        row = overdue[installment_id]
        for recipient in (row["deal__owner_id"], row["deal__owner__team__lead_id"]):
            if recipient is not None:
                wanted.add((alert_id, AlertLevel.OVERDUE, recipient))
        if level >= AlertLevel.ESCALATED:
            wanted.update((alert_id, AlertLevel.ESCALATED, head) for head in heads)
    if not wanted:
        return 0
    already = set(
        Notification.objects.filter(
            alert_id__in={alert_id for alert_id, _level, _user in wanted}
        ).values_list("alert_id", "level", "recipient_id")
    )
    missing = wanted - already
    recipients = {
        person["pk"]: person
        for person in User.objects.filter(pk__in={user for _alert, _level, user in missing}).values(
            "pk", "email", "is_active"
        )
    }
    declined = set(
        NotificationPreference.objects.filter(user_id__in=list(recipients), email_enabled=False).values_list(
            "user_id", flat=True
        )
    )
    notifications = [
        Notification(
            alert_id=alert_id,
            level=level,
            recipient_id=user_id,
            email_pending=send_email and bool(recipients[user_id]["email"]) and user_id not in declined,
        )
        for alert_id, level, user_id in sorted(missing)
        if recipients[user_id]["is_active"]
    ]
    Notification.objects.bulk_create(notifications, batch_size=500)
    people = {notification.recipient_id for notification in notifications}
    unread_count_forget(people)
    return len(notifications)


@transaction.atomic
def alert_acknowledge(*, by: User, alert_id: int, comment: str) -> OverdueAlert:
    """Record that somebody who may act on the installment has seen the alert and what is
    being done. Those who cannot see it get 404, read-only roles 403."""
    alert = get_visible_or_404(OverdueAlert.objects.all(), by, pk=alert_id)
    ensure_can_write(by, alert)
    comment = (comment or "").strip()
    errors = {}
    if not comment:
        errors["comment"] = _("Say what is being done about it.")
    elif len(comment) > 2000:
        errors["comment"] = _("Keep the comment under 2000 characters.")
    alert = OverdueAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        errors[NON_FIELD_ERRORS] = _("This alert is already resolved.")
    if errors:
        raise ValidationError(errors)
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = by
    alert.acknowledgement = comment
    alert.updated_at = alert.acknowledged_at
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement", "updated_at"])
    return alert
