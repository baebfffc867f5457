"""A kanban card's HTML, for the board, its "show more" and a moved card; a deal's warning
badges, for the deal list's rows and the panels that list deals.

Written in Python rather than as an included template: a board shows up to a hundred cards,
and the template engine spent about 0.5 ms on each (six URL lookups, a dozen translation tags,
the warnings include), most of the kanban's CPU time. The markup is the one the card template
had, whitespace between tags removed as its ``{% spaceless %}`` did; values are escaped and
localized as ``{{ }}`` does (``render_value_in_context``), translations are the template's
strings (``{% translate %}`` escapes the message, ``{% blocktranslate %}`` only the values)."""

from __future__ import annotations

from django.conf import settings
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from core.links import id_url
from core.templatetags.money import money
from deals.models import Severity
from deals.selectors import WARNING_SHORT_LABELS, DealWarning, deal_warnings

_PLAIN = Context()  # autoescape on, as in a page
_TRANSLATED: dict[tuple[str | None, str], str] = {}


def _v(value) -> str:
    """``{{ value }}``: localized and escaped. Text and whole numbers (ids, counts) take the
    short way, with the same result: text is only escaped, and a whole number prints as is
    while USE_THOUSAND_SEPARATOR is off."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return render_value_in_context(value, _PLAIN)


def _t(message: str) -> str:
    """``{% translate message %}``, looked up once per language (callers mark the message
    with ``gettext_noop`` so that makemessages keeps it in the catalogues)."""
    key = (get_language(), message)
    translated = _TRANSLATED.get(key)
    if translated is None:
        translated = _TRANSLATED[key] = _v(gettext(message))
    return translated


def card_warnings(deal) -> str:
    """The card's warning badges (the short list: what the card has room for)."""
    items = []
    if getattr(deal, "warn_no_activity", False):
        items.append(
            f'<li class="deal-badge warn">{_v(str(WARNING_SHORT_LABELS[DealWarning.NO_ACTIVITY]))}</li>'
        )
    if getattr(deal, "warn_past_close", False):
        items.append(f'<li class="deal-badge danger">{_t(gettext_noop("Overdue close"))}</li>')
    if getattr(deal, "warn_no_open_task", False):
        items.append(f'<li class="deal-badge warn">{_t(gettext_noop("No open task"))}</li>')
    if getattr(deal, "warn_not_reviewed", False):
        items.append(
            f'<li class="deal-badge muted">{_v(str(WARNING_SHORT_LABELS[DealWarning.NOT_REVIEWED]))}</li>'
        )
    if not items:
        return ""
    return f'<ul class="warning-badges" aria-label="{_t(gettext_noop("Warnings"))}">{"".join(items)}</ul>'


def _facts(deal) -> str:
    count = deal.fact_count
    if not count:
        return '<span class="fact-count none">0</span>'
    title = ngettext("%(counter)s fact proves intent", "%(counter)s facts prove intent", count) % {
        "counter": _v(count)
    }
    return f'<span class="fact-count" title="{title}">✔ {_v(count)}</span>'


def _actions(deal, detail: str, won_stage, lost_stage) -> str:
    move = id_url("deals:move", deal.pk)
    parts = ['<div class="card-actions">']
    if won_stage:
        confirm = gettext("Close “%(title)s” as won?") % {"title": _v(deal.title)}
        parts.append(
            f'<form action="{detail}#move" hx-post="{move}" data-confirm="{confirm}">'
            f'<input type="hidden" name="stage" value="{_v(won_stage.pk)}">'
            f'<button type="submit" class="mini won">✓ {_t(gettext_noop("Won"))}</button></form>'
        )
    if lost_stage:
        parts.append(
            f'<a class="button mini lost" href="{detail}#move" data-lost>✗ {_t(gettext_noop("Lost"))}</a>'
        )
    # The other stages are filled in from the board's #kanban-stages when the select is first
    # used (app.js): one list per board, not one per card.
    label = _t(gettext_noop("Move to stage"))
    parts.append(
        f'<form action="{detail}#move" hx-post="{move}" hx-trigger="change" class="card-move">'
        f'<select name="stage" aria-label="{label}" class="mini" data-stage-options>'
        f'<option value="{_v(deal.stage_id)}" selected>{_v(deal.stage.display_name)}</option></select></form>'
    )
    parts.append("</div>")
    return "".join(parts)


def card_html(deal, *, can_move, won_stage=None, lost_stage=None) -> SafeString:
    """One card, followed by a newline. ``deal`` is annotated as the kanban's selectors do
    (``fact_count`` and the ``warn_*`` flags); ``can_move`` says whether the viewer may move
    it (draggable, with its controls), ``won_stage`` and ``lost_stage`` the closing stages."""
    detail = id_url("deals:detail", deal.pk)
    overdue = getattr(deal, "warn_past_close", False)
    classes = "deal-card" + (" is-overdue" if overdue else "") + ("" if can_move else " read-only")
    draggable = ' draggable="true"' if can_move else ""
    close_class = "card-close overdue-text" if overdue else "card-close"
    close = (
        _v(date_filter(deal.expected_close, "DATE_FORMAT"))
        if deal.expected_close
        else _t(gettext_noop("no close date"))
    )
    actions = _actions(deal, detail, won_stage, lost_stage) if can_move else ""
    html = (
        f'<article id="deal-card-{_v(deal.pk)}" class="{classes}"{draggable}'
        f' data-deal="{_v(deal.pk)}" data-stage="{_v(deal.stage_id)}">'
        f'<div class="card-top"><span class="card-client">{_v(deal.client.name)}</span>{_facts(deal)}</div>'
        f'<a class="card-title" href="{detail}">{_v(deal.title)}</a>'
        f'<div class="card-amount">{_v(money(deal.amount))}</div>'
        f'<div class="card-meta"><span>{_v(deal.owner.full_name)}</span>'
        f'<span class="{close_class}" title="{_t(gettext_noop("Expected close"))}">{close}</span></div>'
        f"{card_warnings(deal)}"
        f"{actions}"
        "</article>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped by _v / _t


SEVERITY_CLASSES = {Severity.HIGH: "danger", Severity.MEDIUM: "warn", Severity.LOW: "muted"}


_BADGES: dict[tuple[str | None, str, object], str] = {}


def _badge(warning: str, severity) -> str:
    """One badge: it depends on the warning, its severity and the language only, so it is
    written once per language."""
    key = (get_language(), warning, severity)
    badge = _BADGES.get(key)
    if badge is None:
        title = gettext("severity: %(severity)s") % {"severity": _v(str(Severity(severity).label))}
        css = SEVERITY_CLASSES.get(severity, "warn")
        label = _v(str(DealWarning(warning).label))
        short = _v(str(WARNING_SHORT_LABELS[warning]))
        key_html = _v(str(warning))
        badge = _BADGES[key] = (
            f'<li class="deal-badge {css}" data-warning="{key_html}" title="{label} · {title}">{short}</li>'
        )
    return badge


def warning_badges_html(deal) -> SafeString:
    """A deal's warnings that are on (annotated by ``with_signals``), most severe first, as
    the list of badges: the short label, the long one and the severity in its title."""
    items = [
        _badge(warning, getattr(deal, f"severity_{warning}", Severity.MEDIUM))
        for warning in deal_warnings(deal)
    ]
    if not items:
        return SafeString()
    label = _t(gettext_noop("Warnings"))
    return mark_safe(  # noqa: S308 - every value is escaped by _v / _t
        f'\n<ul class="warning-badges" aria-label="{label}">\n  {"".join(items)}\n</ul>\n'
    )
