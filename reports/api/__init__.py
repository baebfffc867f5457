"""The reports API, by sub-domain: the precomputed report tables in .rows, overdue alerts and
one's own notifications in .alerts, report runs in .runs, the forecast, its weekly snapshots
and accuracy in .forecast, and what their answers share (the period parameters and the
period comparison) in .common. Every name stays importable from reports.api."""

from reports.api.alerts import (
    AcknowledgeSerializer,
    NotificationSerializer,
    NotificationViewSet,
    OverdueAlertSerializer,
    OverdueAlertViewSet,
)
from reports.api.common import (
    PERIOD_PARAMETERS,
    ComparedPeriodSerializer,
    PeriodSummarySerializer,
    ReportPersonSerializer,
    comparison_json,
)
from reports.api.forecast import (
    ForecastAccuracyView,
    ForecastRowSerializer,
    ForecastSerializer,
    ForecastSnapshotSerializer,
    ForecastSnapshotViewSet,
    ForecastView,
)
from reports.api.rows import (
    REPORT_SEARCH,
    SCOPE_FIELDS,
    ActivityStatSerializer,
    ActivityStatViewSet,
    ConversionReportSerializer,
    ConversionReportViewSet,
    CoverageReportSerializer,
    CoverageReportViewSet,
    NotRenewedDealSerializer,
    PlanFulfilmentSerializer,
    PlanFulfilmentViewSet,
    RenewalReportSerializer,
    RenewalReportViewSet,
    ReportRowSerializer,
    ReportRowViewSet,
)
from reports.api.runs import ReportRunRequestSerializer, ReportRunSerializer, ReportRunViewSet

__all__ = [
    "AcknowledgeSerializer",
    "ActivityStatSerializer",
    "ActivityStatViewSet",
    "ComparedPeriodSerializer",
    "ConversionReportSerializer",
    "ConversionReportViewSet",
    "CoverageReportSerializer",
    "CoverageReportViewSet",
    "ForecastAccuracyView",
    "ForecastRowSerializer",
    "ForecastSerializer",
    "ForecastSnapshotSerializer",
    "ForecastSnapshotViewSet",
    "ForecastView",
    "NotRenewedDealSerializer",
    "NotificationSerializer",
    "NotificationViewSet",
    "OverdueAlertSerializer",
    "OverdueAlertViewSet",
    "PERIOD_PARAMETERS",
    "PeriodSummarySerializer",
    "PlanFulfilmentSerializer",
    "PlanFulfilmentViewSet",
    "REPORT_SEARCH",
    "RenewalReportSerializer",
    "RenewalReportViewSet",
    "ReportPersonSerializer",
    "ReportRowSerializer",
    "ReportRowViewSet",
    "ReportRunRequestSerializer",
    "ReportRunSerializer",
    "ReportRunViewSet",
    "SCOPE_FIELDS",
    "comparison_json",
]
