"""A kanban card's HTML, for the board, its "show more" and a moved card; a deal's warning
badges, for the deal list's rows and the panels that list deals.

Written in Python rather than as an included template: a board shows up to a hundred cards,
and the template engine spent about 0.5 ms on each (six URL lookups, a dozen translation tags,
the warnings include), most of the kanban's CPU time. The markup is the one the card template
had, whitespace between tags removed as its ``{% spaceless %}`` did; values are escaped and
localized as ``{{ }}`` does (``render_value_in_context``), translations are the template's
strings (``{% translate %}`` escapes the message, ``{% blocktranslate %}`` only the values)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from core.html import text as _v
from core.html import translated as _t
from core.links import id_url
from core.templatetags.money import money
from deals.models import Severity
from deals.selectors import WARNING_SHORT_LABELS, DealWarning, deal_warnings


class Card(NamedTuple):
    """Everything a card shows, and the language and script prefix it is written in: a card
    is written once per different Card (``_card``), so the kanban, shown again after a move
    elsewhere, writes only the cards that changed."""

    pk: int
    stage_id: int
    stage_name: str
    title: str
    amount: object
    client_name: str
    owner_name: str
    expected_close: object
    fact_count: int
    warn_no_activity: bool
    warn_past_close: bool
    warn_no_open_task: bool
    warn_not_reviewed: bool
    can_move: bool
    won_stage_id: int | None
    lost_stage_id: int | None
    language: str | None
    script_prefix: str


def _card_warnings(card: Card) -> str:
    """The card's warning badges (the short list: what the card has room for)."""
    items = []
    if card.warn_no_activity:
        items.append(
            f'<li class="deal-badge warn">{_v(str(WARNING_SHORT_LABELS[DealWarning.NO_ACTIVITY]))}</li>'
        )
    if card.warn_past_close:
        items.append(f'<li class="deal-badge danger">{_t(gettext_noop("Overdue close"))}</li>')
    if card.warn_no_open_task:
        items.append(f'<li class="deal-badge warn">{_t(gettext_noop("No open task"))}</li>')
    if card.warn_not_reviewed:
        items.append(
            f'<li class="deal-badge muted">{_v(str(WARNING_SHORT_LABELS[DealWarning.NOT_REVIEWED]))}</li>'
        )
    if not items:
        return ""
    return f'<ul class="warning-badges" aria-label="{_t(gettext_noop("Warnings"))}">{"".join(items)}</ul>'


def _facts(card: Card) -> str:
    count = card.fact_count
    if not count:
        return '<span class="fact-count none">0</span>'
    title = ngettext("%(counter)s fact proves intent", "%(counter)s facts prove intent", count) % {
        "counter": _v(count)
    }
    return f'<span class="fact-count" title="{title}">✔ {_v(count)}</span>'


def _actions(card: Card, detail: str) -> str:
    move = id_url("deals:move", card.pk)
    parts = ['<div class="card-actions">']
    if card.won_stage_id is not None:
        confirm = gettext("Close “%(title)s” as won?") % {"title": _v(card.title)}
        parts.append(
            f'<form action="{detail}#move" hx-post="{move}" data-confirm="{confirm}">'
            f'<input type="hidden" name="stage" value="{_v(card.won_stage_id)}">'
            f'<button type="submit" class="mini won">✓ {_t(gettext_noop("Won"))}</button></form>'
        )
    if card.lost_stage_id is not None:
        parts.append(
            f'<a class="button mini lost" href="{detail}#move" data-lost>✗ {_t(gettext_noop("Lost"))}</a>'
        )
    # The other stages are filled in from the board's #kanban-stages when the select is first
    # used (app.js): one list per board, not one per card.
    label = _t(gettext_noop("Move to stage"))
    parts.append(
        f'<form action="{detail}#move" hx-post="{move}" hx-trigger="change" class="card-move">'
        f'<select name="stage" aria-label="{label}" class="mini" data-stage-options>'
        f'<option value="{_v(card.stage_id)}" selected>{_v(card.stage_name)}</option></select></form>'
    )
    parts.append("</div>")
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _card(card: Card) -> str:
    """The card's HTML from its Card alone (in the active language, which is ``card.language``)."""
    detail = id_url("deals:detail", card.pk)
    overdue = card.warn_past_close
    classes = "deal-card" + (" is-overdue" if overdue else "") + ("" if card.can_move else " read-only")
    draggable = ' draggable="true"' if card.can_move else ""
    close_class = "card-close overdue-text" if overdue else "card-close"
    close = (
        _v(date_filter(card.expected_close, "DATE_FORMAT"))
        if card.expected_close
        else _t(gettext_noop("no close date"))
    )
    actions = _actions(card, detail) if card.can_move else ""
    return (
        f'<article id="deal-card-{_v(card.pk)}" class="{classes}"{draggable}'
        f' data-deal="{_v(card.pk)}" data-stage="{_v(card.stage_id)}">'
        f'<div class="card-top"><span class="card-client">{_v(card.client_name)}</span>{_facts(card)}</div>'
        f'<a class="card-title" href="{detail}">{_v(card.title)}</a>'
        f'<div class="card-amount">{_v(money(card.amount))}</div>'
        f'<div class="card-meta"><span>{_v(card.owner_name)}</span>'
        f'<span class="{close_class}" title="{_t(gettext_noop("Expected close"))}">{close}</span></div>'
        f"{_card_warnings(card)}"
        f"{actions}"
        "</article>\n"
    )


def card_html(deal, *, can_move, won_stage=None, lost_stage=None) -> SafeString:
    """One card, followed by a newline. ``deal`` is annotated as the kanban's selectors do
    (``fact_count`` and the ``warn_*`` flags); ``can_move`` says whether the viewer may move
    it (draggable, with its controls), ``won_stage`` and ``lost_stage`` the closing stages."""
    card = Card(
        pk=deal.pk,
        stage_id=deal.stage_id,
        stage_name=str(deal.stage.display_name),
        title=deal.title,
        amount=deal.amount,
        client_name=deal.client.name,
        owner_name=deal.owner.full_name,
        expected_close=deal.expected_close,
        fact_count=deal.fact_count,
        warn_no_activity=bool(getattr(deal, "warn_no_activity", False)),
        warn_past_close=bool(getattr(deal, "warn_past_close", False)),
        warn_no_open_task=bool(getattr(deal, "warn_no_open_task", False)),
        warn_not_reviewed=bool(getattr(deal, "warn_not_reviewed", False)),
        can_move=bool(can_move),
        won_stage_id=won_stage.pk if won_stage else None,
        lost_stage_id=lost_stage.pk if lost_stage else None,
        language=get_language(),
        script_prefix=get_script_prefix(),
    )
    return mark_safe(_card(card))  # noqa: S308 - every value in it is escaped by _v / _t


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


@receiver(setting_changed)
def _forget_written_html(**kwargs) -> None:
    """Settings a test overrides (the currency, formats, URLs) change what was written."""
    _card.cache_clear()
    _BADGES.clear()
