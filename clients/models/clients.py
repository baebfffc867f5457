"""Clients: the companies the department sells to, with their industry, segment, tier,
source and status (and the moves between statuses), and the name and tax-id normalisation
that duplicate detection rests on."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from core.history import HistoricalRecords


def normalize_tax_id(value: str | None) -> str | None:
    """Tax ids are stored as upper-case letters and digits only; empty means none."""
    if value is None:
        return None
    cleaned = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return cleaned or None


def normalize_name(value: str) -> str:
    """A company name reduced for duplicate detection: case, punctuation, spaces and
    common legal forms do not make two clients different."""
    text = re.sub(r"[\"'«»“”„.,()\-_/&+]", " ", value.casefold())
    words = [w for w in text.split() if w not in LEGAL_FORMS]
    return " ".join(words)


LEGAL_FORMS = frozenset(
    {
        "llc",
        "ltd",
        "inc",
        "corp",
        "co",
        "gmbh",
        "ooo",
        "ооо",
        "зао",
        "оао",
        "пао",
        "ао",
        "ип",
        "plc",
        "sa",
        "ag",
    }
)


class Industry(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class Segment(models.TextChoices):
    SMALL = "small", _("Small")
    MID = "mid", _("Mid-market")
    ENTERPRISE = "enterprise", _("Enterprise")


class Tier(models.TextChoices):
    A = "A", _("A — key account")
    B = "B", _("B")
    C = "C", _("C")


class ClientStatus(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former customer")


# Who may own a client: the people who sell (and the managers, who may keep a key account
# themselves). Assistants and analysts never own clients.


# The lifecycle (SPEC §2): lead → prospect → customer → former customer. A lead may sign
# at once, and a former customer who comes back is a customer again.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    "lead": ("prospect", "customer"),
    "prospect": ("customer",),
    "customer": ("former",),
    "former": ("customer",),
}


class Source(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    COLD_CALL = "cold_call", _("Cold call")
    REFERRAL = "referral", _("Referral")
    EXHIBITION = "exhibition", _("Exhibition")
    WEBSITE = "website", _("Website")
    PARTNER = "partner", _("Partner")
    TENDER = "tender", _("Tender")


class ClientQuerySet(VisibleQuerySet):
    pass


class Client(models.Model):
    tombstone_name = "client"  # deletions leave a tombstone (sync)
    visibility_owner_path = "owner"
    assistant_may_write = False
    sdr_writable = Q(status="lead")

    name = models.CharField(_("name"), max_length=200)
    normalized_name = models.CharField(_("normalised name"), max_length=200, db_index=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=255, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=32, null=True, blank=True)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
    )
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, default=Segment.SMALL)
    territory = models.ForeignKey(
        "accounts.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, default=Tier.C)
    status = models.CharField(
        _("status"), max_length=20, choices=ClientStatus.choices, default=ClientStatus.LEAD
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.INBOUND)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="clients"
    )
    owner_assigned_at = models.DateTimeField(_("owner assigned"), null=True, blank=True)
    owner_assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_id"], condition=Q(tax_id__isnull=False), name="client_tax_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="client_owner_status_idx"),
            models.Index(fields=["name", "id"], name="client_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status_moves(self) -> list[tuple[str, str]]:
        """The statuses this client may move to next, as (value, label)."""
        labels = dict(ClientStatus.choices)
        return [(status, labels[status]) for status in STATUS_MOVES.get(self.status, ())]
