"""The labels of the deal warnings and a deal's badges, for templates: written once in
deals.selectors."""

from django import template

from deals import cards
from deals.selectors import WARNING_SHORT_LABELS, DealWarning

register = template.Library()


@register.simple_tag
def warning_label(warning: str) -> str:
    """The long label, e.g. "No recent activity"."""
    return str(DealWarning(warning).label)


@register.simple_tag
def warning_short_label(warning: str) -> str:
    """The badge's short label, e.g. "Silent"."""
    return str(WARNING_SHORT_LABELS[warning])


@register.simple_tag
def warning_badges_html(deal) -> str:
    """The deal's badges as the list of warnings (``deals.cards.warning_badges_html``)."""
    return cards.warning_badges_html(deal)
