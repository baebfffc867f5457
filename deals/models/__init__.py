"""The deals app's models: deals and their stage history in .pipeline, the stages, lost
reasons and warning settings the head sets up in .stages, facts and reviews in .evidence,
the product catalogue and deal lines in .catalogue, commercial proposals in .quotes. Every
name stays importable from deals.models."""

from deals.models.catalogue import ApprovalStatus, DealLine, Product, default_max_discount
from deals.models.evidence import Fact, FactKind, FactQuerySet, Review, ReviewQuerySet, Verdict
from deals.models.pipeline import (
    Deal,
    DealQuerySet,
    DealType,
    StageChange,
    StageChangeQuerySet,
    effective_forecast_category,
)
from deals.models.quotes import Quote, QuoteCounter, QuoteLanguage, QuoteLine, QuoteStatus
from deals.models.stages import (
    MAX_WARNING_DAYS,
    OTHER_LOST_REASON,
    SEEDED_LOST_REASON_NAMES,
    SEEDED_STAGE_NAMES,
    ForecastCategory,
    LostReason,
    Severity,
    Stage,
    StageKind,
    WarningSettings,
    lost_reason_label,
    stage_label,
)

__all__ = [
    "MAX_WARNING_DAYS",
    "OTHER_LOST_REASON",
    "SEEDED_LOST_REASON_NAMES",
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
    "LostReason",
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
    "lost_reason_label",
    "stage_label",
    "default_max_discount",
]
