"""In-app notifications and their e-mails.

Urgent notifications (an escalation) are e-mailed one by one as they come; the others wait
for the recipient's daily digest: one e-mail a day listing them all.

An e-mail is sent once: a notification due for e-mail is claimed by a conditional update
(``email_pending`` true → false) before sending, so two senders never both send it; a
failed send puts the claim back for the next run. The text is rendered in the
recipient's language (their notification preference, else the site's default)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.visibility import get_visible_or_404
from reports.models import Notification, NotificationKind, NotificationPreference

logger = logging.getLogger(__name__)

# Forgotten whenever the count changes; the timeout only bounds how stale a count can get
# when a change happens in a process that does not share the cache (a local-memory cache).
UNREAD_CACHE_SECONDS = 300


def _unread_cache_key(user_id: int) -> str:
    return f"reports:unread-notifications:{user_id}"


def unread_count_forget(user_ids: Iterable[int]) -> None:
    """Forget the cached counts now and again once the change commits (a page rendered in
    between may have cached the old count)."""
    keys = [_unread_cache_key(user_id) for user_id in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count_warm(sender=None, *, user: User, **kwargs) -> None:
    """Look the count up at sign-in (connected to ``user_logged_in``)."""
    unread_notification_count(user)


def unread_notification_count(user: User) -> int:
    """The number shown in the navigation on every page: cached briefly (and forgotten
    whenever it changes) so a page view does not pay for a count query."""
    key = _unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.visible_to(user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def _task_email_context(notification: Notification) -> tuple[str, dict]:
    """The template and context of a reminder's or a digest's e-mail."""
    from clients.models import Task, TaskStatus

    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "site_url": settings.SITE_URL,
    }
    if notification.kind == NotificationKind.REMINDER:
        return "reminder", context | {"task": notification.task}
    tasks = Task.objects.filter(
        owner=notification.recipient, status=TaskStatus.OPEN, due_date__lte=notification.digest_on
    ).select_related("client", "contact")
    overdue = [task for task in tasks if task.due_date < notification.digest_on]
    due_today = [task for task in tasks if task.due_date == notification.digest_on]
    return "day_digest", context | {"overdue": overdue, "due_today": due_today, "day": notification.digest_on}


def _render_email(notification: Notification, language: str) -> EmailMultiAlternatives:
    if notification.kind != NotificationKind.ALERT:
        name, context = _task_email_context(notification)
        with translation.override(language):
            subject = " ".join(render_to_string(f"reports/email/{name}_subject.txt", context).split())
            body = render_to_string(f"reports/email/{name}_body.txt", context)
        return EmailMultiAlternatives(
            subject=subject,
            body=body,
            to=[notification.recipient.email],
            headers={"Content-Language": language},
        )
    alert = notification.alert
    installment = alert.installment
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "alert": alert,
        "installment": installment,
        "deal": installment.deal,
        "client": alert.client,
        "owner": installment.deal.owner,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("reports/email/alert_subject.txt", context).split())
        body = render_to_string("reports/email/alert_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[notification.recipient.email],
        headers={"Content-Language": language},
    )
    return message


def notifications_send_pending() -> int:
    """E-mail every notification still waiting for its e-mail; returns how many went out."""
    sent = 0
    pending = Notification.objects.filter(email_pending=True).select_related(
        "recipient", "alert__client", "alert__installment__deal__owner", "task__client", "task__contact"
    )
    languages = dict(
        NotificationPreference.objects.filter(user_id__in=pending.values("recipient_id")).values_list(
            "user_id", "language"
        )
    )
    for notification in pending.order_by("pk"):
        claimed = Notification.objects.filter(pk=notification.pk, email_pending=True).update(
            email_pending=False, emailed_at=timezone.now()
        )
        if not claimed:
            continue
        language = languages.get(notification.recipient_id, settings.LANGUAGE_CODE)
        try:
            _render_email(notification, language).send()
        except Exception:
            logger.exception("E-mail of notification %s failed; it will be retried.", notification.pk)
            Notification.objects.filter(pk=notification.pk).update(email_pending=True, emailed_at=None)
            continue
        sent += 1
    return sent


def notifications_send_digests(*, today: datetime.date) -> int:
    """Send each person their digest of the notifications waiting for it: one e-mail a day
    (someone already sent a digest for ``today`` waits until the next day). Claimed before
    sending like single e-mails; a failed send puts the claim back. Returns how many
    digests went out."""
    waiting = (
        Notification.objects.filter(digest_pending=True)
        .exclude(recipient_id__in=Notification.objects.filter(digested_on=today).values("recipient_id"))
        .select_related("recipient", "alert__client", "alert__installment__deal__owner")
        .order_by("recipient_id", "-alert__days_overdue", "pk")
    )
    by_recipient: dict[int, list[Notification]] = {}
    for notification in waiting:
        by_recipient.setdefault(notification.recipient_id, []).append(notification)
    languages = dict(
        NotificationPreference.objects.filter(user_id__in=list(by_recipient)).values_list(
            "user_id", "language"
        )
    )
    sent = 0
    for recipient_id, notifications in by_recipient.items():
        ids = [notification.pk for notification in notifications]
        claimed = Notification.objects.filter(pk__in=ids, digest_pending=True).update(
            digest_pending=False, digested_on=today, emailed_at=timezone.now()
        )
        if claimed != len(ids):
            # another sender took some of them: put back what this one claimed
            Notification.objects.filter(pk__in=ids, digested_on=today, emailed_at__isnull=False).update(
                digest_pending=True, digested_on=None, emailed_at=None
            )
            continue
        language = languages.get(recipient_id, settings.LANGUAGE_CODE)
        try:
            _render_digest(notifications, language).send()
        except Exception:
            logger.exception("The digest of user %s failed; it will be retried.", recipient_id)
            Notification.objects.filter(pk__in=ids).update(
                digest_pending=True, digested_on=None, emailed_at=None
            )
            continue
        sent += 1
    return sent


def _render_digest(notifications: list[Notification], language: str) -> EmailMultiAlternatives:
    recipient = notifications[0].recipient
    context = {
        "recipient": recipient,
        "notifications": notifications,
        "count": len(notifications),
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("reports/email/digest_subject.txt", context).split())
        body = render_to_string("reports/email/digest_body.txt", context)
    return EmailMultiAlternatives(
        subject=subject, body=body, to=[recipient.email], headers={"Content-Language": language}
    )


@transaction.atomic
def notification_mark_read(*, by: User, notification_id: int) -> Notification:
    """Mark one of ``by``'s notifications read; somebody else's answers 404."""
    notification = get_visible_or_404(
        Notification.objects.select_for_update(of=("self",)), by, pk=notification_id
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        unread_count_forget([by.pk])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    count = (
        Notification.objects.visible_to(by).unread().update(read_at=timezone.now(), updated_at=timezone.now())
    )
    unread_count_forget([by.pk])
    return count


@transaction.atomic
def notification_preference_update(
    *, user: User, language: str, email_enabled: bool
) -> NotificationPreference:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"language": language, "email_enabled": email_enabled}
    )
    return preference
