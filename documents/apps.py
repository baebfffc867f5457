from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents, contracts and client requests")

    def ready(self) -> None:
        # deal_move asks before a win whether the deal has an approved contract
        # (CONTRACT_REQUIRED_TO_WIN); deals cannot import documents, so it registers here.
        from django.db.models.signals import post_delete

        from deals.hooks import register_win_check
        from documents.files import remove_stored_file
        from documents.models import Attachment
        from documents.rules import contract_win_check

        register_win_check(contract_win_check)
        # A deleted attachment's file leaves the storage once the deletion is committed,
        # however the row went (its own delete, or its client, deal or contract deleted).
        post_delete.connect(remove_stored_file, sender=Attachment, dispatch_uid="documents_remove_file")

        from clients.merging import register_merge_relation

        # Merging two clients moves the merged-away one's files and requests to the survivor.
        register_merge_relation("clients.Client", "documents.Attachment", "client")
        register_merge_relation("clients.Client", "documents.ClientRequest", "client")
