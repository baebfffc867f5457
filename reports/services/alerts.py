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
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import DecimalField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import ensure_can_write, get_visible_or_404
from core.locks import lock_one
from reports.models import AlertLevel, AlertStatus, Notification, NotificationPreference, OverdueAlert
from reports.rules import ESCALATES_TO_ROLES
from reports.services.common import RunResult
from reports.services.notifications import (
    notifications_send_digests,
    notifications_send_pending,
    unread_count_forget,
)
from reports.signals import alert_escalated
from targets.models import Installment, OverdueReason
from targets.selectors import aging_bucket_expression, installments_with_balance

SLOW_FIELDS = ("client_id", "status", "due_date", "outstanding", "reason", "promised_date", "resolved_on")
CALENDAR_FIELDS = ("days_overdue", "bucket", "checked_on", "level", "escalated_on")
MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


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
    """Bring the alerts up to date for ``today`` and notify; then e-mail the urgent
    notifications created and each person's daily digest of the others (after the commit,
    so a rolled-back run mails nobody)."""
    result = _alerts_refresh(today=today, send_email=send_email)
    if send_email and not result.skipped:
        notifications_send_pending()
        notifications_send_digests(today=today)
    return result


@transaction.atomic
def _alerts_refresh(*, today: datetime.date, send_email: bool) -> RunResult:
    escalated_today = OverdueAlert.objects.filter(level=AlertLevel.ESCALATED, escalated_on=today)
    before = set(escalated_today.values_list("pk", flat=True))
    result = _refresh(today=today)
    if result.skipped:
        return result
    escalated = sorted(set(escalated_today.values_list("pk", flat=True)) - before)
    if escalated:
        alert_escalated.send(OverdueAlert, alert_ids=escalated)
    notified = _notify(send_email=send_email)
    return RunResult(
        rows_written=result.rows_written + notified,
        rows_total=OverdueAlert.objects.filter(status=AlertStatus.OPEN).count(),
    )


def _refresh(*, today: datetime.date) -> RunResult:
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
            "deal__client_id",
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
        alert = existing.pop(installment_id, None)
        # What only changes when somebody acts (a payment, a reason, a new due date) is
        # compared row by row; what changes with the calendar is updated below in bulk.
        values = {
            "client_id": row["deal__client_id"],
            "status": AlertStatus.OPEN,
            "due_date": row["due_date"],
            "outstanding": row["outstanding"],
            "reason": row["latest_reason"] or "",
            "promised_date": row["latest_promised_date"],
            "resolved_on": None,
        }
        if alert is None:
            days = (today - row["due_date"]).days
            level = _level_for(days)
            to_create.append(
                OverdueAlert(
                    installment_id=installment_id,
                    opened_on=today,
                    checked_on=today,
                    days_overdue=days,
                    bucket=row["bucket"],
                    level=level,
                    escalated_on=today if level == AlertLevel.ESCALATED else None,
                    updated_at=now,
                    **values,
                )
            )
        elif _changed(alert, values):
            if alert.status != AlertStatus.OPEN:
                # Overdue again after it was resolved: it is checked afresh today.
                days = (today - row["due_date"]).days
                alert.days_overdue, alert.bucket, alert.checked_on = days, row["bucket"], today
                if alert.level < _level_for(days):
                    alert.level, alert.escalated_on = _level_for(days), today
            for name, value in values.items():
                setattr(alert, name, value)
            alert.updated_at = now
            to_update.append(alert)
    OverdueAlert.objects.bulk_create(to_create, batch_size=500)
    OverdueAlert.objects.bulk_update(
        to_update, fields=[*SLOW_FIELDS, *CALENDAR_FIELDS, "updated_at"], batch_size=500
    )

    # What is left was open but is no longer overdue: paid, or its due date moved.
    balance = installments_with_balance(Installment.objects.filter(pk=OuterRef("installment_id"))).values(
        "outstanding"
    )[:1]
    resolved = OverdueAlert.objects.filter(pk__in=[alert.pk for alert in existing.values()]).update(
        status=AlertStatus.RESOLVED,
        resolved_on=today,
        checked_on=today,
        outstanding=Greatest(Coalesce(Subquery(balance, output_field=MONEY), ZERO), ZERO),
        updated_at=now,
    )
    return RunResult(
        rows_written=len(to_create) + len(to_update) + resolved + _follow_the_calendar(today, now),
        rows_total=0,
    )


FOLLOWED_FIELDS = [
    "level",
    "escalated_on",
    "status",
    "due_date",
    "outstanding",
    "reason",
    "promised_date",
    "resolved_on",
    "days_overdue",
    "bucket",
    "checked_on",
    "updated_at",
]


def alerts_follow_installments(sender=None, *, installment_ids, **kwargs) -> int:
    """Bring the existing alerts of ``installment_ids`` up to date at once (the receiver of
    targets.signals.installment_changed): days overdue, bucket, due date, outstanding and
    the latest reason follow a new due date or a payment; an installment no longer overdue
    has its alert resolved, one overdue again has it reopened. They are computed for the
    day the alerts were last brought up to (the nightly run's day), so every alert stays
    as of one day and time never moves back; opening new alerts and notifying stays with
    the nightly run."""
    ids = sorted(set(installment_ids))
    alerts = {alert.installment_id: alert for alert in OverdueAlert.objects.filter(installment_id__in=ids)}
    if not alerts:
        return 0
    today = OverdueAlert.objects.aggregate(latest=Max("checked_on"))["latest"]
    now = timezone.now()
    overdue = {
        row["pk"]: row
        for row in overdue_installments(today=today)
        .filter(pk__in=list(alerts))
        .values("pk", "due_date", "outstanding", "bucket", "latest_reason", "latest_promised_date")
    }
    written, followed = 0, []
    for installment_id, alert in sorted(alerts.items()):
        row = overdue.get(installment_id)
        if row is None:
            if alert.status == AlertStatus.OPEN:
                written += _resolve_now(alert, today=today, now=now)
            continue
        days = (today - row["due_date"]).days
        if alert.level < _level_for(days):
            alert.level, alert.escalated_on = _level_for(days), today
        alert.status = AlertStatus.OPEN
        alert.due_date = row["due_date"]
        alert.outstanding = row["outstanding"]
        alert.reason = row["latest_reason"] or ""
        alert.promised_date = row["latest_promised_date"]
        alert.resolved_on = None
        alert.days_overdue, alert.bucket, alert.checked_on = days, row["bucket"], today
        alert.updated_at = now
        followed.append(alert)
    # One UPDATE statement for the lot, not one save() per alert.
    OverdueAlert.objects.bulk_update(followed, FOLLOWED_FIELDS)
    return written + len(followed)


def _resolve_now(alert: OverdueAlert, *, today: datetime.date, now: datetime.datetime) -> int:
    balance = installments_with_balance(Installment.objects.filter(pk=alert.installment_id)).values(
        "outstanding"
    )[:1]
    return OverdueAlert.objects.filter(pk=alert.pk).update(
        status=AlertStatus.RESOLVED,
        resolved_on=today,
        checked_on=today,
        outstanding=Greatest(Coalesce(Subquery(balance, output_field=MONEY), ZERO), ZERO),
        updated_at=now,
    )


def _follow_the_calendar(today: datetime.date, now: datetime.datetime) -> int:
    """Days overdue and aging bucket of every open alert not yet checked today, one UPDATE
    per due date (days are a date difference, which databases spell differently), and the
    escalation of those past ``ESCALATE_AFTER_DAYS``."""
    open_alerts = OverdueAlert.objects.filter(status=AlertStatus.OPEN)
    stale = open_alerts.exclude(checked_on=today)
    written = 0
    for due_date in stale.order_by().values_list("due_date", flat=True).distinct():
        written += stale.filter(due_date=due_date).update(
            days_overdue=(today - due_date).days,
            bucket=aging_bucket_expression(today),
            checked_on=today,
            updated_at=now,
        )
    limit = today - datetime.timedelta(days=OverdueAlert.ESCALATE_AFTER_DAYS)
    open_alerts.filter(level=AlertLevel.OVERDUE, due_date__lt=limit).update(
        level=AlertLevel.ESCALATED, escalated_on=today, updated_at=now
    )
    return written


def _notify(*, send_email: bool) -> int:
    """Create the notifications each open alert's levels call for and nobody has had yet:
    the owner and their team lead when it opens, the head(s) once it escalates."""
    # The person following the installment up (set when a book was handed over), else the
    # deal's owner, and their team's lead.
    alerts = OverdueAlert.objects.filter(status=AlertStatus.OPEN).values_list(
        "pk",
        "level",
        Coalesce("installment__follow_up_by_id", "installment__deal__owner_id"),
        Coalesce("installment__follow_up_by__team__lead_id", "installment__deal__owner__team__lead_id"),
    )
    heads = list(
        User.objects.filter(role__in=ESCALATES_TO_ROLES, is_active=True).values_list("pk", flat=True)
    )
    wanted: set[tuple[int, int, int]] = set()
    for alert_id, level, owner_id, lead_id in alerts:
        for recipient in (owner_id, lead_id):
            if recipient is not None:
                wanted.add((alert_id, AlertLevel.OVERDUE, recipient))
        if level >= AlertLevel.ESCALATED:
            wanted.update((alert_id, AlertLevel.ESCALATED, head) for head in heads)
    if not wanted:
        return 0
    already = set(
        Notification.objects.filter(alert__status=AlertStatus.OPEN).values_list(
            "alert_id", "level", "recipient_id"
        )
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
    notifications = []
    for alert_id, level, user_id in sorted(missing):
        if not recipients[user_id]["is_active"]:
            continue
        mailed = send_email and bool(recipients[user_id]["email"]) and user_id not in declined
        urgent = level >= AlertLevel.ESCALATED
        notifications.append(
            Notification(
                alert_id=alert_id,
                level=level,
                recipient_id=user_id,
                email_pending=mailed and urgent,
                digest_pending=mailed and not urgent,
            )
        )
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
    alert = lock_one(OverdueAlert.objects, pk=alert.pk)
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
