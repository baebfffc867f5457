"""The request id: one short token per request (or Celery task) that every log line carries.

``RequestIdMiddleware`` takes the id a proxy sent in ``X-Request-ID`` when it looks like an id
(letters, digits, ``.``, ``_``, ``-``; at most 64 characters: anything else could forge log
lines) or makes a new one, keeps it in a context variable for the length of the request and
echoes it in the response's ``X-Request-ID`` header. ``RequestIdFilter`` (settings.LOGGING)
adds it to every record as ``request_id`` (``-`` outside a request)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _current.get()


def accepted_request_id(value: str | None) -> str:
    """The id a client sent when it is a plain token, otherwise a fresh one."""
    if value and _ACCEPTED.fullmatch(value):
        return value
    return uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token:
    return _current.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _current.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later log line of the request carries the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current.get()
        if request_id == "-":
            # django.request logs a 4xx/5xx after the middleware has returned, with the request.
            request_id = getattr(getattr(record, "request", None), "request_id", "-")
        record.request_id = request_id
        return True
