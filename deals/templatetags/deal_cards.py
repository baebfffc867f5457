"""``{% deal_card deal %}``: a kanban card (deals.cards), with the page's ``can_move``,
``won_stage`` and ``lost_stage``."""

from django import template

from deals.cards import card_html

register = template.Library()


@register.simple_tag(takes_context=True)
def deal_card(context, deal):
    return card_html(
        deal,
        can_move=context.get("can_move"),
        won_stage=context.get("won_stage"),
        lost_stage=context.get("lost_stage"),
    )
