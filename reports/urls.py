from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("conversion/", views.conversion, name="conversion"),
    path("renewal/", views.renewal, name="renewal"),
    path("activity/", views.activity, name="activity"),
    path("fulfilment/", views.fulfilment, name="fulfilment"),
    path("coverage/", views.coverage, name="coverage"),
    path("runs/", views.runs, name="runs"),
    path("runs/trigger/", views.run_trigger, name="run_trigger"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert_acknowledge"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/settings/", views.notification_preferences, name="notification_preferences"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
