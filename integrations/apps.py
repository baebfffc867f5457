from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        # The lower apps announce their events (explicit signals sent by their services);
        # webhooks listen here, above them all, and deliver after the commit.
        from integrations.receivers import connect

        connect()
        from integrations import tasks  # noqa: F401  (registers the delivery task)
