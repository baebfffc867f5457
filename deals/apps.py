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

        from django.utils.translation import gettext_lazy

        from accounts.handover import register_part
        from clients.hooks import register_open_work_mover
        from deals.services.handover import client_open_deals_move, open_deals_count, open_deals_move

        # A book's open deals move last: the installments' follow-up is read by deal owner.
        register_part(
            key="deals",
            label=gettext_lazy("Open deals"),
            order=50,
            count=open_deals_count,
            move=open_deals_move,
        )
        # A reassigned client takes its open deals along (client_reassign(move_open_work=True)).
        register_open_work_mover("deals", client_open_deals_move)

        from clients.merging import register_merge_relation

        # Merging two clients (or contacts) moves their deals and proposals to the survivor;
        # the deals' facts, lines, installments, payments, contracts follow their deal.
        register_merge_relation("clients.Client", "deals.Deal", "client")
        register_merge_relation("clients.Contact", "deals.Quote", "contact")

        from deals.bulk import register_bulk_actions

        # The deal list's bulk actions (core.bulk), through the deals services.
        register_bulk_actions()
