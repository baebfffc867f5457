"""``{% select_box pk %}``: a row's checkbox for the page's bulk actions (core.tables)."""

from django import template

from core.tables import select_box as _select_box

register = template.Library()


@register.simple_tag
def select_box(pk, css_class: str = ""):
    return _select_box(pk, css_class)
