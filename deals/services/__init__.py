"""Every write to deals, their stage history, facts and reviews goes through here: deals
in .deals, their moves through the stages in .moves, facts and reviews in .evidence (the
checks they share in .checks). The names stay importable from deals.services
(``from deals import services; services.deal_move(...)``)."""

from deals.services.checks import read_only_message
from deals.services.deals import (
    DEAL_DATE_FIELDS,
    UPDATABLE_FIELDS,
    deal_create,
    deal_delete,
    deal_update,
    deal_won_change,
    default_stage,
)
from deals.services.evidence import FACT_TEXT_MAX_LENGTH, REVIEW_COMMENT_MAX_LENGTH, fact_add, review_add
from deals.services.forecast import deal_forecast_override, deal_forecast_set
from deals.services.lines import (
    deal_line_add,
    deal_line_decide,
    deal_line_delete,
    deal_line_update,
    lines_block_quote,
    product_create,
    product_update,
)
from deals.services.lost_reasons import lost_reason_create, lost_reason_update
from deals.services.moves import deal_move
from deals.services.quotes import quote_accept, quote_create, quote_reject, quote_send, quotes_expire
from deals.services.warnings import warning_settings_current, warning_settings_update

__all__ = [
    "DEAL_DATE_FIELDS",
    "FACT_TEXT_MAX_LENGTH",
    "REVIEW_COMMENT_MAX_LENGTH",
    "UPDATABLE_FIELDS",
    "deal_create",
    "deal_delete",
    "deal_forecast_override",
    "deal_forecast_set",
    "deal_line_add",
    "deal_line_decide",
    "deal_line_delete",
    "deal_line_update",
    "deal_move",
    "deal_update",
    "deal_won_change",
    "default_stage",
    "fact_add",
    "lines_block_quote",
    "lost_reason_create",
    "lost_reason_update",
    "product_create",
    "product_update",
    "quote_accept",
    "quote_create",
    "quote_reject",
    "quote_send",
    "quotes_expire",
    "read_only_message",
    "review_add",
    "warning_settings_current",
    "warning_settings_update",
]
