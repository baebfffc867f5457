import datetime
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.visibility import VisibleQuerySet, visibility_q


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


# --------------------------------------------------------------------------- tasks (the rep's day)


class TaskKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("Visit")
    TODO = "todo", _("To-do")


# Completing a task logs an activity of this kind (a to-do leaves a note).
TASK_ACTIVITY_KIND = {
    TaskKind.CALL: ActivityKind.CALL,
    TaskKind.MEETING: ActivityKind.MEETING,
    TaskKind.EMAIL: ActivityKind.EMAIL,
    TaskKind.VISIT: ActivityKind.VISIT,
    TaskKind.TODO: ActivityKind.NOTE,
}
# Kinds whose completion must say how it went.
OUTCOME_REQUIRED_KINDS = frozenset({TaskKind.CALL, TaskKind.MEETING})


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """A task reaches the person who does it and, like an activity, whoever sees its
        client: a rep sees their own tasks and every task on their clients."""
        by_owner = visibility_q(user, "owner")
        by_client = visibility_q(user, "client__owner")
        if by_owner is None or by_client is None:
            return self
        return self.filter(by_owner | by_client)

    def visible_parts(self, user) -> list:
        """``visible_to`` as querysets whose union it is, each filtering one table: an OR
        across the task and its client makes PostgreSQL scan every task, while each part is
        served by an index (the global search unions them)."""
        by_owner = visibility_q(user, "owner")
        by_client = visibility_q(user, "client__owner")
        if by_owner is None or by_client is None:
            return [self.all()]
        return [self.filter(by_owner), self.filter(by_client)]

    def open(self):
        return self.filter(status=TaskStatus.OPEN)


class Task(models.Model):
    """Something a person will do for a client: a call, a meeting, a visit. Its owner does
    it; completing it logs the activity (``activity``)."""

    tombstone_name = "task"  # deletions leave a tombstone (sync)
    visibility_owner_path = "owner"
    assistant_may_write = True
    sdr_writable = Q(client__status="lead")

    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.CALL)
    title = models.CharField(_("title"), max_length=300)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="tasks"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    deal = models.ForeignKey(
        "deals.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_date = models.DateField(_("due date"))
    due_time = models.TimeField(_("time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration, minutes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("logged activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completed_tasks",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the reminder before a timed task went out (claimed by a conditional UPDATE).
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["reminded_at"])
    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", F("due_time").asc(nulls_first=True), "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TaskKind.values), name="task_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60),
                name="task_duration_max_day",
            ),
        ]
        indexes = [
            # My day: one person's open tasks by due date.
            models.Index(
                fields=["owner", "due_date", "due_time"],
                condition=Q(status="open"),
                name="task_owner_open_due_idx",
            ),
            models.Index(fields=["client", "status", "due_date"], name="task_client_status_idx"),
            models.Index(fields=["deal", "status"], name="task_deal_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def due_at(self):
        """The moment it is due (a timed task), aware in the department's zone; None if untimed."""
        if self.due_time is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(self.due_date, self.due_time))


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class DaySettings(models.Model):
    """One person's calendar feed (a secret address calendars subscribe to; rotating it cuts
    off every old subscription) and reminders: N minutes before a timed task, and a morning
    digest of the day at a time of their choosing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="day_settings",
    )
    feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token
    )
    feed_rotated_at = models.DateTimeField(_("feed address made"), auto_now_add=True)
    remind_minutes = models.PositiveSmallIntegerField(
        _("remind minutes before a timed task"), null=True, blank=True, default=15
    )
    digest_time = models.TimeField(_("morning digest at"), null=True, blank=True, default=datetime.time(8, 0))
    # The day whose digest went out (claimed by a conditional UPDATE: once a day).
    digest_sent_on = models.DateField(_("digest sent on"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("day settings")
        verbose_name_plural = _("day settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_minutes__isnull=True) | Q(remind_minutes__lte=24 * 60),
                name="day_settings_remind_max_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
