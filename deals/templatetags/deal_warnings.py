"""The labels of the deal warnings, for templates: written once in deals.selectors, where
they interpolate the day counts the warnings are computed with."""

from django import template

from deals.selectors import WARNING_SHORT_LABELS, DealWarning

register = template.Library()


@register.simple_tag
def warning_label(warning: str) -> str:
    """The long label, e.g. "No activity for 14 days"."""
    return str(DealWarning(warning).label)


@register.simple_tag
def warning_short_label(warning: str) -> str:
    """The badge's short label, e.g. "Silent 14d"."""
    return str(WARNING_SHORT_LABELS[warning])
