"""Pages of the pipeline: the kanban (.kanban), the deal list (.deal_list), the deal page
and forms (.deal) and one person's open deals on the 抓单 board (.board; the board page
itself is reports.board_views). The views stay importable from deals.views."""

from deals.views.board import BOARD_PERSON_DEALS_LIMIT, board_person_deals
from deals.views.deal import (
    activity_add,
    client_options,
    create,
    delete,
    detail,
    edit,
    fact_add,
    history,
    render_deal_page,
    renewal_options,
    review_add,
    submit_review,
)
from deals.views.deal_list import LIST_PAGE_SIZE, deal_list_page
from deals.views.forecast import forecast_override, forecast_set
from deals.views.kanban import kanban, kanban_more, move

__all__ = [
    "BOARD_PERSON_DEALS_LIMIT",
    "LIST_PAGE_SIZE",
    "activity_add",
    "board_person_deals",
    "client_options",
    "create",
    "delete",
    "deal_list_page",
    "detail",
    "edit",
    "fact_add",
    "forecast_override",
    "forecast_set",
    "history",
    "kanban",
    "kanban_more",
    "move",
    "render_deal_page",
    "renewal_options",
    "review_add",
    "submit_review",
]
