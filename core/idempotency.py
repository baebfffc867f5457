"""Retries of API writes that do not write twice: the ``Idempotency-Key`` header.

A client that sends a POST or PATCH to the API and loses the answer (a timeout, a dropped
connection) cannot tell whether it was written. Sent with ``Idempotency-Key: <up to 255
visible characters, no comma>``, the first request runs as usual and, if it succeeds (2xx),
its answer is kept for a day; a retry by the same user with the same key and the same request
gets that answer again, marked ``Idempotent-Replayed: true``, and writes nothing. The same key
with a different request is a 422; while the first request is still running a retry is a 409
(a first request whose process died frees its key after five minutes). A request that did not
succeed keeps nothing, so it may be corrected and sent again under its key.

Keys belong to the signed-in user, whichever token or session they use: the middleware signs
the request in as the API does (its authentication classes) before it looks a key up, so a
revoked token or an ended session is answered by the API (401), never from what was kept.
Answers that carry a secret shown once (a new token's key, a webhook's secret, a calendar
feed's address) are not kept (``AnswersNotKept``): a retry runs again. A request is the same
when its method, path, media type (with its charset) and content are: a form with files is
compared by its fields and files, not by its bytes (a client picks a new multipart boundary for
every send; its files go to disk as without a key). A body the API cannot read (over
``DATA_UPLOAD_MAX_MEMORY_SIZE``, too many fields, a broken upload) gets the API's own answer,
as without a key, and keeps nothing."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PATCH"})
API_PREFIX = "/api/"
MAX_KEY_LENGTH = 255
KEPT_FOR = datetime.timedelta(hours=24)
# A first request that has not finished after this long died with its process: its key is free.
ABANDONED_AFTER = datetime.timedelta(minutes=5)
# What a replay says about its body besides the status (never cookies); its language is kept
# too (LocaleMiddleware, above this one, names it only on the way out).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Location", "Vary", "Allow")
# A body the API could not read: the API answers it (400, 413), not the middleware's parse.
_UNREADABLE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, MultiPartParserError)
_NOT_KEPT = "_idempotency_not_kept"


class AnswersNotKept:
    """For an API view whose answers carry a secret shown once: none of them is kept for a
    retry, which runs again instead of reading the secret back from the database."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        setattr(response, _NOT_KEPT, True)
        return response


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _text(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def _content(request) -> bytes:
    """What the request sends: its media type and its parameters (the charset), then its
    body, or for a form with files its fields and files (not the boundary)."""
    kind = [_text(request.content_type)]
    for name, value in sorted(request.content_params.items()):
        if name != "boundary":
            kind.extend([_text(name), _text(value.lower())])
    if request.content_type != "multipart/form-data":
        return _digest(*kind, request.body).encode()
    parts = []
    for name in sorted(request.POST):
        parts.extend([b"field", _text(name), *(_text(value) for value in request.POST.getlist(name))])
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            parts.extend([b"file", _text(name), _text(upload.name or ""), digest.digest()])
    return _digest(*kind, *parts).encode()


def _signed_in_user(request):
    """The user the API will take the request to be from (its authentication classes in order;
    a refused credential or a session without its CSRF token is nobody here too)."""
    # With the API's parsers: the session's CSRF check reads the token from a POST's form.
    api_request = Request(request, parsers=[parser() for parser in api_settings.DEFAULT_PARSER_CLASSES])
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        try:
            signed_in = authentication().authenticate(api_request)
        except (APIException, *_UNREADABLE):
            return None
        if signed_in is not None:
            user = signed_in[0]
            return user if user is not None and user.is_authenticated else None
    return None


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("!" <= char <= "~" and char != "," for char in key)


def _read(request) -> bool:
    """Reads the request's content once, before anything streams it: a form with files is
    parsed as Django parses it (large files go to disk), any other body is held in memory (up
    to ``DATA_UPLOAD_MAX_MEMORY_SIZE``). False when it does not read: the API answers it."""
    try:
        if request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 - parsed once and kept, files included
            request.FILES  # noqa: B018
        else:
            request.body  # noqa: B018 - read once and kept
    except _UNREADABLE:
        return False
    return True


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def _replay(kept: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(bytes(kept.body), status=kept.status)
    del response["Content-Type"]
    for name, value in kept.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def _claim(user, key: str, fingerprint: str) -> IdempotentRequest | HttpResponse:
    """The row that marks this key as taken by this request, or the answer for a retry."""
    now = timezone.now()
    IdempotentRequest.objects.filter(user=user, key=key, created_at__lt=now - KEPT_FOR).delete()
    IdempotentRequest.objects.filter(
        user=user, key=key, status__isnull=True, created_at__lt=now - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        pass
    kept = IdempotentRequest.objects.filter(user=user, key=key).first()
    if kept is None:  # the first request failed and let the key go between our two statements
        return _error(_("A request with this Idempotency-Key was just retried; try again."), 409)
    if kept.fingerprint != fingerprint:
        return _error(_("This Idempotency-Key was used for a different request."), 422)
    if kept.status is None:
        return _error(_("A request with this Idempotency-Key is still being answered; try again."), 409)
    return _replay(kept)


def _keep(claim: IdempotentRequest, response) -> None:
    kept = (
        200 <= response.status_code < 300
        and not response.streaming
        and not getattr(response, _NOT_KEPT, False)
    )
    if not kept:
        IdempotentRequest.objects.filter(pk=claim.pk).delete()
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    IdempotentRequest.objects.filter(pk=claim.pk).update(
        status=response.status_code,
        headers={name: response[name] for name in KEPT_HEADERS if name in response}
        | {"Content-Language": response.get("Content-Language") or translation.get_language()},
        body=response.content,
    )


class IdempotencyMiddleware:
    """Answers a retried API write from what the first one answered (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in METHODS or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not _read(request):  # too large or broken: the API says so, and nothing is kept
            return self.get_response(request)
        user = _signed_in_user(request)
        if user is None:  # nobody to keep it for: the API answers as it would without a key
            return self.get_response(request)
        if not _valid_key(key):
            return _error(
                _("The Idempotency-Key header must be 1 to %(max)d visible ASCII characters, without commas.")
                % {"max": MAX_KEY_LENGTH},
                400,
            )
        fingerprint = _digest(_text(request.method), _text(request.get_full_path()), _content(request))
        claim = _claim(user, key, fingerprint)
        if isinstance(claim, HttpResponse):
            return claim
        # Django answers an exception of the view (500) before it gets here; a process that dies
        # leaves the claim, and its key is free again after ABANDONED_AFTER.
        response = self.get_response(request)
        _keep(claim, response)
        return response


def purge_expired() -> int:
    """Deletes the answers kept longer than a day (an hourly beat task)."""
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
