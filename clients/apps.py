from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clients"
    verbose_name = _("Client base")

    def ready(self):
        from accounts.saved_views import register_list

        # The list page offers saved views, and ``?view=<id>`` applies one on its API list.
        register_list(key="clients", page="clients:list", api_basename="client")

        from clients.bulk import register_bulk_actions

        # The client and task lists' bulk actions (core.bulk), through the clients services.
        register_bulk_actions()
