"""Page-side answer to a lost race: a 409 that says what happened, never a 500."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import Conflict, is_lost_race


class ConflictMiddleware:
    """A ``Conflict`` (or a deadlock) escaping a page view answers 409 with the message: the
    whole page for a plain request, the message fragment for htmx (app.js swaps 4xx
    fragments in place). The API answers its own (core.api.exception_handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, Conflict) or is_lost_race(exception)):
            return None
        message = exception.message if isinstance(exception, Conflict) else Conflict().message
        template = "partials/conflict.html" if getattr(request, "htmx", False) else "conflict.html"
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = "/"
        return render(request, template, {"message": message, "back": back}, status=409)
