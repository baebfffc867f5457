"""The client timeline's entries, each rendered once per state (core.tables.rendered_once).

A client's page, its "show older" pages and every logged call's answer show 20 entries; the
entry's template cost about a quarter of a millisecond each, and an entry seldom changes."""

from django import template
from django.template.loader import get_template

from core.tables import record_state, rendered_once, rendering_key

register = template.Library()

ITEM_TEMPLATE = "clients/partials/timeline_item.html"


@register.simple_tag(takes_context=True)
def timeline_item(context, activity):
    """``activity``'s entry as ``{% include ITEM_TEMPLATE %}`` would render it. What the entry
    shows: the activity's fields and its ``deal_visible`` annotation, its contact, owner and
    deal as read (client_timeline's select_related), whether the viewer may edit it, and the
    language, time zone, day and address prefix of its dates, labels and links."""
    permissions = context.get("permissions")
    may_edit = bool(permissions and permissions.records)

    def render():
        item = get_template(ITEM_TEMPLATE).template
        with context.push(activity=activity):
            return item.render(context)

    state = record_state(activity)
    if state is None:
        return render()
    return rendered_once((ITEM_TEMPLATE, state, may_edit, *rendering_key(context)), render)
