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

        from django.utils.translation import gettext_lazy

        from accounts.handover import register_part, register_unit_names
        from clients.services.handover import (
            client_names,
            open_tasks_count,
            open_tasks_move,
            owned_clients_count,
            owned_clients_move,
        )

        # A leaving rep's book (accounts.handover): their clients, and their open tasks.
        register_unit_names(client_names)
        register_part(
            key="clients",
            label=gettext_lazy("Clients"),
            order=10,
            count=owned_clients_count,
            move=owned_clients_move,
        )
        register_part(
            key="tasks",
            label=gettext_lazy("Open tasks"),
            order=20,
            count=open_tasks_count,
            move=open_tasks_move,
        )

        from clients.merging import register_merge_relation

        # A merge moves every row that points at the merged-away client or contact; each app
        # declares its own foreign keys (the ones above clients in their ready()).
        for model in ("clients.Contact", "clients.Activity", "clients.Task"):
            register_merge_relation("clients.Client", model, "client")
        for model in ("clients.Activity", "clients.Task"):
            register_merge_relation("clients.Contact", model, "contact")

        from clients.bulk import register_bulk_actions

        # The client and task lists' bulk actions (core.bulk), through the clients services.
        register_bulk_actions()
