"""Retries of API writes that do not write twice: the ``Idempotency-Key`` header.

A client that sends a POST or PATCH to the API and loses the answer (a timeout, a dropped
connection) cannot tell whether it was written. Sent with ``Idempotency-Key: <up to 255
visible characters>``, the first request runs as usual and, if it succeeds (2xx), its answer
is kept for a day; a retry with the same key and the same request gets that answer again,
marked ``Idempotent-Replayed: true``, and writes nothing. The same key with a different
request is a 422; while the first request is still running a retry is a 409. A request that
did not succeed keeps nothing, so it may be corrected and sent again under its key.

Keys belong to the credential that sent them (a hash of the Authorization header, else of the
session cookie): another caller's key is a different key. A request whose body is too large to
hold in memory (``DATA_UPLOAD_MAX_MEMORY_SIZE``) cannot be compared, and is refused with a key."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PATCH"})
API_PREFIX = "/api/"
MAX_KEY_LENGTH = 255
KEPT_FOR = datetime.timedelta(hours=24)
# A first request that has not finished after this long died with its process: its key is free.
ABANDONED_AFTER = datetime.timedelta(minutes=5)


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _credential(request) -> str | None:
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return _digest(b"authorization", authorization.encode("utf-8", "surrogateescape"))
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if session:
        return _digest(b"session", session.encode("utf-8", "surrogateescape"))
    return None


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("!" <= char <= "~" for char in key)


def _too_large(request) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # Django reads a garbled length as none (WSGIRequest)
        length = 0
    return limit is not None and length > limit


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _replay(kept: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(kept.body), status=kept.status, content_type=kept.content_type or None)
    if kept.location:
        response["Location"] = kept.location
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(credential: str, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
    """The row that marks this key as taken by this request, or the answer for a retry."""
    now = timezone.now()
    IdempotentRequest.objects.filter(credential=credential, key=key, created_at__lt=now - KEPT_FOR).delete()
    IdempotentRequest.objects.filter(
        credential=credential, key=key, status__isnull=True, created_at__lt=now - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(credential=credential, key=key, fingerprint=fingerprint)
    except IntegrityError:
        pass
    kept = IdempotentRequest.objects.filter(credential=credential, key=key).first()
    if kept is None:  # the first request failed and let the key go between our two statements
        return _error(_("A request with this Idempotency-Key was just retried; try again."), 409)
    if kept.fingerprint != fingerprint:
        return _error(_("This Idempotency-Key was used for a different request."), 422)
    if kept.status is None:
        return _error(_("A request with this Idempotency-Key is still being answered; try again."), 409)
    return _replay(kept)


def _keep(claim: IdempotentRequest, response) -> None:
    if 200 <= response.status_code < 300 and not response.streaming:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        IdempotentRequest.objects.filter(pk=claim.pk).update(
            status=response.status_code,
            content_type=response.get("Content-Type", "")[:100],
            location=response.get("Location", "")[:500],
            body=response.content,
        )
    else:
        IdempotentRequest.objects.filter(pk=claim.pk).delete()


class IdempotencyMiddleware:
    """Answers a retried API write from what the first one answered (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        credential = _credential(request)
        if credential is None:  # nobody to keep it for: the API answers 401 as without a key
            return self.get_response(request)
        if not _valid_key(key):
            return _error(
                _("The Idempotency-Key header must be 1 to %(max)d visible ASCII characters.")
                % {"max": MAX_KEY_LENGTH},
                400,
            )
        if _too_large(request):
            return _error(_("A request this large cannot be sent with an Idempotency-Key."), 413)
        fingerprint = _digest(
            request.method.encode(),
            request.get_full_path().encode("utf-8", "surrogateescape"),
            request.content_type.encode("utf-8", "surrogateescape"),
            request.body,
        )
        claim = _claim(credential, key, fingerprint)
        if isinstance(claim, HttpResponse):
            return claim
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotentRequest.objects.filter(pk=claim.pk).delete()
            raise
        _keep(claim, response)
        return response


def purge_expired() -> int:
    """Deletes the answers kept longer than a day (the beat's heartbeat calls it)."""
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
