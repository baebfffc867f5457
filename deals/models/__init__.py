"""The deals app's models: the pipeline (stages, deals, history, facts, reviews) in
.pipeline, the product catalogue and deal lines in .catalogue, commercial proposals in
.quotes. Every name stays importable from deals.models."""

from deals.models.catalogue import ApprovalStatus, DealLine, Product, default_max_discount
from deals.models.pipeline import (
    MAX_WARNING_DAYS,
    SEEDED_STAGE_NAMES,
    Deal,
    DealQuerySet,
    DealType,
    Fact,
    FactKind,
    FactQuerySet,
    ForecastCategory,
    Review,
    ReviewQuerySet,
    Severity,
    Stage,
    StageChange,
    StageChangeQuerySet,
    StageKind,
    Verdict,
    WarningSettings,
    effective_forecast_category,
)
from deals.models.quotes import Quote, QuoteCounter, QuoteLanguage, QuoteLine, QuoteStatus

__all__ = [
    "MAX_WARNING_DAYS",
    "SEEDED_STAGE_NAMES",
    "ApprovalStatus",
    "Deal",
    "DealLine",
    "DealQuerySet",
    "DealType",
    "Fact",
    "FactKind",
    "FactQuerySet",
    "ForecastCategory",
    "Product",
    "Quote",
    "QuoteCounter",
    "QuoteLanguage",
    "QuoteLine",
    "QuoteStatus",
    "Review",
    "ReviewQuerySet",
    "Stage",
    "StageChange",
    "StageChangeQuerySet",
    "StageKind",
    "Severity",
    "Verdict",
    "WarningSettings",
    "effective_forecast_category",
    "default_max_discount",
]
