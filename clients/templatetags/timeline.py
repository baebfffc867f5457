"""The client timeline's entries: ``{% timeline_item activity %}``.

A client's page, its "show older" pages and every logged call's answer show 20 entries. The
entry was a template of its own and cost about a third of a millisecond each in the template
engine, a third of a logged call's CPU time: it is written here in Python (core.html), with the
template's markup, whitespace, escaping, localization and translation strings, and kept once
written per state (core.tables.rendered_once). tests/clients/test_timeline_html.py renders the
template it replaced next to it and compares them."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_noop, ngettext

from core.html import text, translated
from core.links import id_url
from core.tables import choice_label, record_state, rendered_once, rendering_key

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_item(context, activity):
    """``activity``'s entry. What it shows: the activity's fields and its ``deal_visible``
    annotation, its contact, owner and deal as read (client_timeline's select_related),
    whether the viewer may edit it, and the language, time zone, day and address prefix of
    its dates, labels and links."""
    permissions = context.get("permissions")
    may_edit = bool(permissions and permissions.records)
    state = record_state(activity)
    if state is None:
        return item_html(activity, may_edit=may_edit)
    return rendered_once(
        ("timeline_item", state, may_edit, *rendering_key(context)),
        lambda: item_html(activity, may_edit=may_edit),
    )


def item_html(activity, *, may_edit: bool):
    """The entry's ``<li>``, followed by a newline."""
    pk = text(activity.pk)
    # choice_label: Django's get_FOO_display translates every choice to find one
    meta = [f'    <span class="badge kind">{text(choice_label(activity, "kind"))}</span>\n    ']
    if activity.direction:
        meta.append(f'<span class="muted">{text(choice_label(activity, "direction"))}</span>')
    meta.append("\n    ")
    if activity.contact:
        meta.append(f"<span>· {text(activity.contact.name)}</span>")
    meta.append("\n    ")
    minutes = activity.duration_minutes
    if minutes:
        duration = ngettext("%(minutes)s min", "%(minutes)s min", minutes) % {"minutes": text(minutes)}
        meta.append(f'<span class="muted">· {duration}</span>')
    occurred = template_localtime(activity.occurred_at)
    deal = ""
    if activity.deal_id and getattr(activity, "deal_visible", False):
        deal = f'· <a href="{id_url("deals:detail", activity.deal_id)}">{text(activity.deal.title)}</a>'
    outcome = ""
    if activity.outcome:
        outcome = f'<p class="outcome">{linebreaksbr(activity.outcome, autoescape=True)}</p>'
    actions = ""
    if may_edit:
        actions = (
            '\n  <div class="row-actions">\n'
            f'    <a href="{id_url("clients:activity_edit", activity.pk)}">'
            f"{translated(gettext_noop('Edit'))}</a>\n"
            f'    <a href="{id_url("clients:activity_delete", activity.pk)}" class="danger-link">'
            f"{translated(gettext_noop('Delete'))}</a>\n"
            "  </div>\n  "
        )
    return mark_safe(  # noqa: S308 - every value in it is escaped by text / translated / linebreaksbr
        f'<li class="timeline-item kind-{text(activity.kind)}" id="activity-{pk}">\n'
        '  <div class="timeline-meta">\n'
        f"{''.join(meta)}\n"
        "  </div>\n"
        '  <div class="muted small">\n'
        f'    <time datetime="{text(date_filter(occurred, "c"))}">'
        f"{text(date_filter(occurred, 'SHORT_DATETIME_FORMAT'))}</time>\n"
        f"    · {text(activity.owner.full_name)}\n"
        f"    {deal}\n"
        "  </div>\n"
        f"  {outcome}\n"
        f"  {actions}\n"
        "</li>\n"
    )
