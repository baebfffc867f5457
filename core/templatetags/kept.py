"""``{% kept_include "name" value … %}``: a part of every page (the site's header) rendered once
for a viewer, a page and the values it names, then taken from the process's kept page parts
(core.tables.rendered_once) while they stay.

The header is most of what a page's layout costs (its links, menus, language form: about a
millisecond on every page). It reads the viewer, the page's path (the active section), the
language and the few values base.html names beside the tag; and two things of the request
alone, filled in on every answer: the CSRF token of its forms (masked anew each time, as
Django's ``{% csrf_token %}`` does) and the language form's return address (the path with its
query). So one kept header serves every query string of a page, in every browser."""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.tables import PAGE_PARTS, rendered_once, rendering_key

register = template.Library()

# What the kept part holds in place of the request's own values: escaping leaves them as they
# are, and nothing the part shows can hold them (names and labels are saved through forms and
# the API, which refuse a null character; the request's own address is filled in escaped).
TOKEN_SLOT = "\x00csrf-token\x00"
NEXT_SLOT = "\x00return-address\x00"


@register.simple_tag(takes_context=True)
def kept_include(context, template_name: str, *depends_on):
    """``{% include template_name %}`` kept per viewer, path, language, time zone, day and the
    ``depends_on`` values (everything else it shows must follow from them). The included
    template writes ``{% csrf_token %}`` and ``header_next`` (the return address) for these
    to be filled in per request."""
    included = context.template.engine.get_template(template_name)
    request = context.get("request")
    if request is None:
        with context.push():
            return included.render(context)

    def render():
        with context.push(csrf_token=TOKEN_SLOT, header_next=NEXT_SLOT):
            return included.render(context)

    user = getattr(request, "user", None)
    key = (
        "kept_include",
        template_name,
        getattr(user, "pk", None),
        request.path,
        *rendering_key(context),
        depends_on,
    )
    kept = rendered_once(key, render, PAGE_PARTS)
    filled = kept.replace(TOKEN_SLOT, get_token(request)).replace(NEXT_SLOT, escape(request.get_full_path()))
    return mark_safe(filled)  # noqa: S308 - the kept part is rendered HTML; the values are escaped (a token is [A-Za-z0-9])
