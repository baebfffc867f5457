"""API routes of the reports app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reports import api, api_incentives, board_api, lost_api

router = SimpleRouter()
router.register("reports/conversion", api.ConversionReportViewSet, basename="report-conversion")
router.register("reports/renewal", api.RenewalReportViewSet, basename="report-renewal")
router.register("reports/activity", api.ActivityStatViewSet, basename="report-activity")
router.register("reports/fulfilment", api.PlanFulfilmentViewSet, basename="report-fulfilment")
router.register("reports/coverage", api.CoverageReportViewSet, basename="report-coverage")
router.register("forecast-snapshots", api.ForecastSnapshotViewSet, basename="forecast-snapshot")
router.register("alerts", api.OverdueAlertViewSet, basename="alert")
router.register("notifications", api.NotificationViewSet, basename="notification")
router.register("report-runs", api.ReportRunViewSet, basename="report-run")

urlpatterns: list = [
    path("board/", board_api.BoardView.as_view(), name="api-board"),
    path("forecast/", api.ForecastView.as_view(), name="api-forecast"),
    path("reports/forecast-accuracy/", api.ForecastAccuracyView.as_view(), name="api-forecast-accuracy"),
    path("reports/incentives/", api_incentives.IncentivesView.as_view(), name="api-incentives"),
    path("reports/lost/", lost_api.LostReportView.as_view(), name="api-report-lost"),
    *router.urls,
]
