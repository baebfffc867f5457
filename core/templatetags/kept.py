"""``{% kept_include "name" value … %}``: a part of every page (the site's header) rendered once
for a viewer, an address and the values it names, then taken from the process's kept fragments
(core.tables.rendered_once) while they stay.

The header is most of what a page's layout costs (its links, menus, language form: about a
millisecond on every page); it reads the viewer, the address (the active section, the language
form's return address), the language, the CSRF token of its forms and the few values
base.html names beside the tag. The token kept is one masked for the browser's CSRF secret,
which stays valid while the secret does, so the secret is part of the key."""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token

from core.tables import PAGE_PARTS, rendered_once, rendering_key

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_include(context, template_name: str, *depends_on):
    """``{% include template_name %}`` kept per viewer, address, CSRF secret, language, time
    zone, day and the ``depends_on`` values (everything else it shows must follow from them)."""
    included = context.template.engine.get_template(template_name)

    def render():
        with context.push():
            return included.render(context)

    request = context.get("request")
    if request is None:
        return render()
    get_token(request)  # the secret exists before the key reads it (a first visit makes it)
    user = getattr(request, "user", None)
    key = (
        "kept_include",
        template_name,
        getattr(user, "pk", None),
        request.get_full_path(),
        request.META.get("CSRF_COOKIE", ""),
        *rendering_key(context),
        depends_on,
    )
    return rendered_once(key, render, PAGE_PARTS)
