from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Register core's Celery tasks when Django starts, so core.bulk queues a job's task by
        # name (and eager mode runs it in-process) without importing core.tasks.
        from core import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401
        )
