"""The labels of the deal warnings and a deal's badges, for templates: written once in
deals.selectors."""

from django import template

from deals.models import Severity
from deals.selectors import WARNING_SHORT_LABELS, DealWarning, deal_warnings

register = template.Library()


@register.simple_tag
def warning_label(warning: str) -> str:
    """The long label, e.g. "No recent activity"."""
    return str(DealWarning(warning).label)


@register.simple_tag
def warning_short_label(warning: str) -> str:
    """The badge's short label, e.g. "Silent"."""
    return str(WARNING_SHORT_LABELS[warning])


SEVERITY_CLASSES = {Severity.HIGH: "danger", Severity.MEDIUM: "warn", Severity.LOW: "muted"}


@register.simple_tag
def warning_badges(deal) -> list[dict]:
    """A deal's warnings that are on (annotated by ``with_signals``), most severe first:
    key, labels, severity and the badge's class."""
    badges = []
    for warning in deal_warnings(deal):
        severity = getattr(deal, f"severity_{warning}", Severity.MEDIUM)
        badges.append(
            {
                "key": warning,
                "label": DealWarning(warning).label,
                "short": WARNING_SHORT_LABELS[warning],
                "severity": Severity(severity).label,
                "css": SEVERITY_CLASSES.get(severity, "warn"),
            }
        )
    return badges
