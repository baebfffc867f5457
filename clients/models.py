import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.visibility import VisibleQuerySet


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
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    next_step_done_at = models.DateTimeField(_("next step done"), null=True, blank=True)
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
            models.Index(
                fields=["next_step_due"],
                condition=Q(next_step_done_at__isnull=True) & ~Q(next_step=""),
                name="activity_open_next_step_idx",
            ),
            # "My next steps": one person's open next steps by due date.
            models.Index(
                fields=["owner", "next_step_due"],
                condition=Q(next_step_done_at__isnull=True) & ~Q(next_step=""),
                name="activity_owner_next_step_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.client}"

    @property
    def next_step_is_open(self) -> bool:
        return bool(self.next_step) and self.next_step_done_at is None
