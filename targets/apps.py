from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "targets"
    verbose_name = _("Plans and receivables")

    def ready(self):
        from accounts.handover import register_part
        from targets.services.handover import follow_ups_count, follow_ups_move

        # A book's outstanding installments: their follow-up moves (the won deal stays).
        register_part(
            key="installments",
            label=_("Installments to follow up"),
            order=40,
            count=follow_ups_count,
            move=follow_ups_move,
        )
