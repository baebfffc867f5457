from django.urls import path

from reports.views import alerts, incentives, lost, notifications, reports, runs

app_name = "reports"

urlpatterns = [
    path("", runs.index, name="index"),
    path("conversion/", reports.ConversionView.as_view(), name="conversion"),
    path("renewal/", reports.RenewalView.as_view(), name="renewal"),
    path("activity/", reports.ActivityView.as_view(), name="activity"),
    path("fulfilment/", reports.FulfilmentView.as_view(), name="fulfilment"),
    path("coverage/", reports.CoverageView.as_view(), name="coverage"),
    path("incentives/", incentives.leaderboard_page, name="incentives"),
    path("incentives/schemes/", incentives.schemes_page, name="incentive_schemes"),
    path("lost/", lost.lost_page, name="lost"),
    path("runs/", runs.runs, name="runs"),
    path("runs/trigger/", runs.run_trigger, name="run_trigger"),
    path("alerts/", alerts.alerts, name="alerts"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", alerts.alert_acknowledge_view, name="alert_acknowledge"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", notifications.notification_preferences, name="notification_preferences"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
]
