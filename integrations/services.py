"""Webhook writes: endpoints (head only), the deliveries an event creates, and one attempt.

A delivery is claimed by a conditional UPDATE before it is sent, so a task queued twice (or
redelivered after its worker died) sends it once; a failed attempt is retried with
exponential backoff up to ``WEBHOOK_MAX_ATTEMPTS``; an endpoint whose deliveries fail every
attempt ``WEBHOOK_DISABLE_AFTER`` times in a row is disabled, with the reason shown."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.locks import lock_one
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent, new_secret
from integrations.payloads import payloads
from integrations.rules import ensure_may_manage_webhooks

DELIVER_TASK = "integrations.deliver"
SIGNATURE_HEADER = "X-Salesdept-Signature"


# ----------------------------------------------------------------------------- the address


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def url_error(url) -> str | None:
    """Why ``url`` is no web address at all, or None: what a form can tell at once, without
    looking the host up (``address_error`` does that too)."""
    if not isinstance(url, str) or len(url) > 500:
        return _("Give a URL of at most 500 characters.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("Give a full URL, such as https://example.com/hooks/salesdept.")
    return None


def address_error(url: str) -> str | None:
    """Why deliveries may not go to ``url``, or None. Production settings take HTTPS to
    public addresses only (no loopback, private, link-local or reserved address, however the
    name resolves); development may allow http and the loopback for local receivers."""
    if error := url_error(url):
        return error
    parts = urlsplit(url)
    if parts.scheme != "https" and not settings.WEBHOOK_ALLOW_HTTP:
        return _("Webhooks are delivered over HTTPS only.")
    if parts.username or parts.password:
        return _("Put no user name or password in the URL; deliveries are signed instead.")
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return _("The host name %(host)s does not resolve.") % {"host": parts.hostname}
    if not infos or not all(_public(info[4][0]) for info in infos):
        return _("Webhooks go to public internet addresses only, not to private or local ones.")
    return None


def _clean_events(events) -> list[str]:
    if not isinstance(events, list | tuple) or not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    known = set(WebhookEvent.values)
    if any(not isinstance(event, str) or event not in known for event in events):
        raise ValidationError({"events": _("Unknown event.")})
    return sorted(set(events))


def _clean(url, events, description) -> dict:
    errors = {}
    if error := address_error(url):
        errors["url"] = error
    try:
        events = _clean_events(events)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    description = (description or "").strip()
    if len(description) > 200:
        errors["description"] = _("Keep the description under 200 characters.")
    if errors:
        raise ValidationError(errors)
    return {"url": url, "events": events, "description": description}


# ---------------------------------------------------------------------------- endpoints


@transaction.atomic
def webhook_create(*, by: User, url: str, events, description: str = "") -> WebhookEndpoint:
    ensure_may_manage_webhooks(by)
    return WebhookEndpoint.objects.create(created_by=by, **_clean(url, events, description))


@transaction.atomic
def webhook_update(
    *, by: User, endpoint: WebhookEndpoint, url=None, events=None, description=None, is_active=None
) -> WebhookEndpoint:
    """Change an endpoint; switching a disabled one back on clears its failure streak. Only
    the fields given are written, on the locked row: two edits at once (a description and a
    switch-off, an edit and a new secret) no longer undo each other."""
    ensure_may_manage_webhooks(by)
    endpoint = lock_one(WebhookEndpoint.objects, pk=endpoint.pk)
    values = _clean(
        endpoint.url if url is None else url,
        endpoint.events if events is None else events,
        endpoint.description if description is None else description,
    )
    changed = [name for name, value in values.items() if getattr(endpoint, name) != value]
    for name in changed:
        setattr(endpoint, name, values[name])
    if is_active is not None and bool(is_active) != endpoint.is_active:
        endpoint.is_active = bool(is_active)
        if endpoint.is_active:
            endpoint.failure_streak, endpoint.disabled_at, endpoint.disabled_reason = 0, None, ""
        else:
            endpoint.disabled_at, endpoint.disabled_reason = timezone.now(), _("Switched off by hand.")
        changed += ["is_active", "failure_streak", "disabled_at", "disabled_reason"]
    if changed:
        endpoint.save(update_fields=[*changed, "updated_at"])
    return endpoint


@transaction.atomic
def webhook_rotate_secret(*, by: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    ensure_may_manage_webhooks(by)
    endpoint = lock_one(WebhookEndpoint.objects, pk=endpoint.pk)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


@transaction.atomic
def webhook_delete(*, by: User, endpoint: WebhookEndpoint) -> None:
    ensure_may_manage_webhooks(by)
    endpoint.delete()


# ------------------------------------------------------------------------------- events


def webhook_event_emit(*, event: str, ids: Iterable[int]) -> list[WebhookDelivery]:
    """Record a delivery of ``event`` for each record and each active endpoint that wants it,
    and queue them. Called after the write committed."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True).select_related("created_by")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    kind = event.split(".")[0]
    ids = sorted(set(ids))
    deliveries = []
    by_viewer: dict[int, dict[int, dict]] = {}
    for endpoint in endpoints:
        viewer = endpoint.created_by
        if viewer.pk not in by_viewer:
            by_viewer[viewer.pk] = payloads(kind, ids, viewer)
        for object_id, data in by_viewer[viewer.pk].items():
            body = {"event": event, "occurred_at": timezone.now(), "data": data}
            deliveries.append(
                WebhookDelivery(
                    endpoint=endpoint,
                    event=event,
                    object_id=object_id,
                    payload=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                )
            )
    WebhookDelivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _queue(pk), robust=True)
    return deliveries


def _queue(delivery_id: int, countdown: int = 0) -> None:
    current_app.tasks[DELIVER_TASK].apply_async(args=[delivery_id], countdown=countdown)


# ----------------------------------------------------------------------------- delivery


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed with the secret>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could lead anywhere: not followed
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    """Send once: (status code or None, error text)."""
    if error := address_error(endpoint.url):  # checked again: a name may resolve elsewhere now
        return None, error
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "salesdept-webhooks/1",
            "X-Salesdept-Event": delivery.event,
            "X-Salesdept-Delivery": str(delivery.uuid),
            SIGNATURE_HEADER: signature(endpoint.secret, int(time.time()), body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as failed:
        return failed.code, _("The receiver answered %(code)s.") % {"code": failed.code}
    except (urllib.error.URLError, OSError, ValueError) as failed:
        reason = getattr(failed, "reason", failed)
        return None, str(reason)[:500]


def _claim(delivery_id: int) -> bool:
    stale = timezone.now() - datetime.timedelta(seconds=4 * settings.WEBHOOK_TIMEOUT_SECONDS)
    return bool(
        WebhookDelivery.objects.filter(
            Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING])
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale),
            pk=delivery_id,
            endpoint__is_active=True,
        ).update(status=DeliveryStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt at a delivery; its status afterwards. A delivery already sent, being sent,
    or for a disabled endpoint is left alone."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    code, error = _post(endpoint, delivery)
    now = timezone.now()
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SUCCEEDED, response_code=code, last_error="", delivered_at=now
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_streak=0)
        return DeliveryStatus.SUCCEEDED
    if delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        wait = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (delivery.attempts - 1)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.RETRYING,
            response_code=code,
            last_error=error,
            next_attempt_at=now + datetime.timedelta(seconds=wait),
        )
        _queue(delivery.pk, countdown=wait)
        return DeliveryStatus.RETRYING
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, response_code=code, last_error=error, next_attempt_at=None
    )
    _count_failure(endpoint, now)
    return DeliveryStatus.FAILED


def _count_failure(endpoint: WebhookEndpoint, now) -> None:
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_streak=F("failure_streak") + 1)
        WebhookEndpoint.objects.filter(
            pk=endpoint.pk, is_active=True, failure_streak__gte=settings.WEBHOOK_DISABLE_AFTER
        ).update(
            is_active=False,
            disabled_at=now,
            disabled_reason=_("Disabled after %(count)s deliveries in a row failed every attempt.")
            % {"count": settings.WEBHOOK_DISABLE_AFTER},
        )
