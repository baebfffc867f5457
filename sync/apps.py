from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sync"
    verbose_name = _("Synchronisation")

    def ready(self):
        from sync.services import connect_tombstones

        # Every model that declares ``tombstone_name`` leaves a tombstone when a row is
        # deleted, whichever way it goes: a service, a cascade from its parent, or the admin.
        connect_tombstones()
