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

        from clients.merging import register_merge_relation

        # A merge moves every row that points at the merged-away client or contact; each app
        # declares its own foreign keys (the ones above clients in their ready()).
        for model in ("clients.Contact", "clients.Activity", "clients.Task"):
            register_merge_relation("clients.Client", model, "client")
        for model in ("clients.Activity", "clients.Task"):
            register_merge_relation("clients.Contact", model, "contact")
