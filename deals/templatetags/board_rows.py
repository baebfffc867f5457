"""``{% rep_card row %}``: a person's row of the board (deals/partials/rep_card.html), kept once
rendered for the same figures (core.tables.rendered_once).

The board's rows are rendered again whenever anything in the pipeline changes (its cache is
keyed on the whole department's version), while a change touches one or two people's figures:
at 145 people a row cost about 0.18 ms to render, 26 ms of a board shown after a change. Kept
by what the row shows, the rows of the people whose figures did not change are not rendered
again."""

from __future__ import annotations

from django import template

from core.tables import record_state, rendered_once, rendering_key
from deals.selectors.board import BoardRow

register = template.Library()

TEMPLATE = "deals/partials/rep_card.html"


def row_state(row: BoardRow) -> tuple | None:
    """Everything rep_card.html reads off ``row``: the person as read (their team with them)
    and the figures (the gap, the plan's percent and the feelings follow from these). None
    when the person's state cannot be keyed."""
    person = record_state(row.person)
    if person is None:
        return None
    figures = (
        row.open_count,
        row.open_amount,
        row.proven_count,
        row.weighted,
        row.won_amount,
        row.plan,
        row.attention,
        tuple(row.warning_list),
    )
    # repr: Decimal("1.0") == Decimal("1.00"), but they print differently
    return (person, repr(figures))


@register.simple_tag(takes_context=True)
def rep_card(context, row: BoardRow):
    card = context.template.engine.get_template(TEMPLATE)

    def render():
        return card.render(context.new({"row": row}))

    state = row_state(row)
    if state is None:
        return render()
    return rendered_once(("rep_card", state, *rendering_key(context)), render)
