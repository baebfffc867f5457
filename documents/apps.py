from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents, contracts and client requests")

    def ready(self) -> None:
        # deal_move asks before a win whether the deal has an approved contract
        # (CONTRACT_REQUIRED_TO_WIN); deals cannot import documents, so it registers here.
        from deals.hooks import register_win_check
        from documents.rules import contract_win_check

        register_win_check(contract_win_check)
