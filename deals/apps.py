from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deals"
    verbose_name = _("Deal pipeline")

    def ready(self):
        from accounts.saved_views import register_list

        # The list page offers saved views, and ``?view=<id>`` applies one on its API list.
        register_list(key="deals", page="deals:list", api_basename="deal")

        from deals.bulk import register_bulk_actions

        # The deal list's bulk actions (core.bulk), through the deals services.
        register_bulk_actions()
