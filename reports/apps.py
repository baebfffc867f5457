from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from accounts.saved_views import register_list

        # The list page offers saved views, and ``?view=<id>`` applies one on its API list.
        register_list(key="alerts", page="reports:alerts", api_basename="alert")

        from accounts.handover import register_part
        from reports.services.handover import open_alerts_count, open_alerts_move

        # A book's open alerts follow their installment's follow-up, so they move before it.
        register_part(
            key="alerts", label=_("Open alerts"), order=30, count=open_alerts_count, move=open_alerts_move
        )

        from reports.bulk import register_bulk_actions

        # The alert list's bulk acknowledgement (core.bulk), through alert_acknowledge.
        register_bulk_actions()

        from django.contrib.auth.signals import user_logged_in

        from reports.services.notifications import unread_count_warm

        # The navigation shows the unread-notification count on every page; looking it up
        # when someone signs in keeps page views free of that query until it changes.
        user_logged_in.connect(unread_count_warm, dispatch_uid="reports-unread-count-warm")

        # Register the Celery tasks with the app when Django starts, so a service can queue
        # one by name (reports.services.runs) without importing reports.tasks.
        from reports import tasks  # noqa: F401
        from reports.services.alerts import alerts_follow_installments
        from targets.signals import installment_changed

        # An installment rescheduled, paid or voided: its overdue alert follows at once
        # (the targets services send the event; targets cannot import reports).
        installment_changed.connect(alerts_follow_installments, dispatch_uid="reports-alerts-follow")

        from clients.merging import register_merge_relation

        # An alert keeps a copy of its deal's client: a merge moves it with the deal.
        register_merge_relation("clients.Client", "reports.OverdueAlert", "client")
