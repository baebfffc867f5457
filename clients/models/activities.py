"""Activities: the calls, meetings, e-mails, visits and notes logged on a client."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from clients.models.clients import Client
from clients.models.contacts import Contact


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit / trip")
    NOTE = "note", _("Note")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class ActivityQuerySet(VisibleQuerySet):
    pass


class Activity(models.Model):
    tombstone_name = "activity"  # deletions leave a tombstone (sync)
    visibility_owner_path = "client__owner"
    assistant_may_write = True
    sdr_writable = Q(client__status="lead")

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.CALL)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, blank=True)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="activities"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration, minutes"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["client", "-occurred_at"], name="activity_client_time_idx"),
            models.Index(fields=["owner", "occurred_at"], name="activity_owner_time_idx"),
            models.Index(fields=["deal", "-occurred_at"], name="activity_deal_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.client}"
