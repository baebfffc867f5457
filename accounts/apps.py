from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Staff and teams")

    def ready(self):
        from accounts.saved_views import register_list

        # The list page offers saved views, and ``?view=<id>`` applies one on its API list.
        register_list(key="people", page="accounts:staff", api_basename="user")
