"""Global search pages: the header's dropdown (an htmx fragment) and the full results page
``/search/?q=``. Both read deals.search, so they find what the API finds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from deals.search import PER_KIND, REGISTRY, SearchTermError, clean_term, search


def _groups(results: dict) -> list[dict]:
    return [
        {"key": key, "label": REGISTRY[key].label, "hits": hits}
        for key, hits in results.items()
        if key in REGISTRY
    ]


@login_required
@require_GET
def search_page(request):
    """Every kind's hits, grouped. A term too short or too long is the form's error (400)."""
    raw = request.GET.get("q", "")
    context = {"q": raw[:200], "groups": [], "error": "", "searched": False, "per_kind": PER_KIND}
    status = 200
    if raw.strip():
        try:
            term = clean_term(raw)
        except SearchTermError as error:
            context["error"] = str(error)
            status = 400
        else:
            context["groups"] = _groups(search(viewer=request.user, term=term))
            context["found"] = sum(len(group["hits"]) for group in context["groups"])
            context["searched"] = True
    return render(request, "deals/search.html", context, status=status)


@login_required
@require_GET
def search_suggest(request):
    """The dropdown under the header box. A term still too short answers an empty list (the
    user is typing), not an error."""
    try:
        term = clean_term(request.GET.get("q", ""))
    except SearchTermError:
        return render(request, "deals/partials/search_dropdown.html", {"groups": [], "q": ""})
    groups = _groups(search(viewer=request.user, term=term))
    found = sum(len(group["hits"]) for group in groups)
    return render(
        request, "deals/partials/search_dropdown.html", {"groups": groups, "q": term, "found": found}
    )
