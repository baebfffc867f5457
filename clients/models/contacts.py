"""Contacts: the people at a client."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from clients.models.clients import Client


class ContactQuerySet(VisibleQuerySet):
    pass


class Contact(models.Model):
    tombstone_name = "contact"  # deletions leave a tombstone (sync)
    visibility_owner_path = "client__owner"
    assistant_may_write = True
    sdr_writable = Q(client__status="lead")

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_decision_maker = models.BooleanField(_("decision maker"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
