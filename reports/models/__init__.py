"""Report models (SPEC §5), by sub-domain: ``common`` (scope, period, the report-row base),
``tables`` (the precomputed report tables), ``alerts`` (overdue alerts, notifications,
preferences) and ``runs`` (the record of every report run). Every model is imported here
so Django finds them and ``from reports.models import X`` keeps working."""

from reports.models.alerts import (
    ESCALATE_AFTER_DAYS,
    AlertLevel,
    AlertStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationQuerySet,
    OverdueAlert,
    OverdueAlertQuerySet,
)
from reports.models.common import (
    MONEY,
    PERCENT,
    PeriodKind,
    ReportRow,
    ReportRowQuerySet,
    Scope,
    scope_constraints,
)
from reports.models.incentives import (
    SCHEME_ROLE_CHOICES,
    BonusScheme,
    BonusTier,
    IncentiveReport,
)
from reports.models.runs import ReportKind, ReportRun, ReportRunQuerySet, RunStatus
from reports.models.snapshots import ForecastSnapshot, ForecastSnapshotQuerySet
from reports.models.tables import (
    ActivityStat,
    ConversionReport,
    CoverageReport,
    PlanFulfilment,
    RenewalReport,
)

__all__ = [
    "ESCALATE_AFTER_DAYS",
    "MONEY",
    "PERCENT",
    "SCHEME_ROLE_CHOICES",
    "ActivityStat",
    "AlertLevel",
    "AlertStatus",
    "BonusScheme",
    "BonusTier",
    "ConversionReport",
    "CoverageReport",
    "ForecastSnapshot",
    "ForecastSnapshotQuerySet",
    "IncentiveReport",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "NotificationQuerySet",
    "OverdueAlert",
    "OverdueAlertQuerySet",
    "PeriodKind",
    "PlanFulfilment",
    "RenewalReport",
    "ReportKind",
    "ReportRow",
    "ReportRowQuerySet",
    "ReportRun",
    "ReportRunQuerySet",
    "RunStatus",
    "Scope",
    "scope_constraints",
]
