from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, is_head, is_lead, is_usable, sees_everything

__all__ = ["ApiToken", "HandOver", "Role", "Team", "Territory", "User", "team_ids_of"]


class Territory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TeamQuerySet":
        """Head and analyst see every team; everybody else the team(s) they belong to or lead."""
        if not is_usable(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(pk__in=team_ids_of(user))


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        "accounts.User",
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


def team_ids_of(user) -> models.QuerySet:
    """The teams a lead or assistant works for: the team they belong to and, for a
    lead, the teams they lead. Returned lazily so it becomes a subquery, not a query."""
    condition = models.Q(pk=user.team_id) if user.team_id else models.Q(pk__in=[])
    if is_lead(user):
        condition |= models.Q(lead_id=user.pk)
    return Team.objects.filter(condition).values("pk")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> "UserQuerySet":
        """Head and analyst see all staff; others see their own team's people and themselves."""
        if not is_usable(user):
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(models.Q(pk=user.pk) | models.Q(team_id__in=team_ids_of(user)))


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REP)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def full_name(self) -> str:
        return self.get_full_name() or self.username


def name_fields(path: str) -> tuple[str, ...]:
    """What ``User.full_name`` reads of the person reached through ``path`` (``owner``,
    ``deal__owner``), with their id: the fields a list's ``.only()`` keeps to show the name."""
    return (f"{path}_id", *(f"{path}__{name}" for name in ("username", "first_name", "last_name")))


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that still authenticate: not revoked and not expired."""
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A key for the REST API (header ``Authorization: Token <key>``). Only the SHA-256 of the key
    is stored; the key itself is shown once, when the token is created."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class ViewScope(models.TextChoices):
    PRIVATE = "private", _("Only me")
    TEAM = "team", _("My team")
    DEPARTMENT = "department", _("The whole department")


class SavedViewQuerySet(models.QuerySet):
    def available_to(self, user) -> "SavedViewQuerySet":
        """The user's own views, those shared with a team they belong to or lead, and those
        shared with the department."""
        if not is_usable(user):
            return self.none()
        return self.filter(
            models.Q(owner_id=user.pk)
            | models.Q(scope=ViewScope.TEAM, team__in=team_ids_of(user))
            | models.Q(scope=ViewScope.DEPARTMENT)
        )


class SavedView(models.Model):
    """A list's filters and sort saved under a name: a tab above that list, and ``?view=<id>``
    on its API list. ``query`` is the list's own query string (``status=lead&ordering=name``)."""

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+")
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    scope = models.CharField(
        _("shared with"), max_length=12, choices=ViewScope.choices, default=ViewScope.PRIVATE
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = ["list_key", "name", "pk"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_key", "name"], name="saved_view_unique_name"),
            models.CheckConstraint(
                condition=~models.Q(scope="team") | models.Q(team__isnull=False), name="saved_view_team_scope"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HandOverQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HandOverQuerySet":
        """The head sees every hand-over; a lead those of their teams' people (whose book
        was handed over); nobody else (accounts.rules.may_see_hand_overs)."""
        if not is_usable(user):
            return self.none()
        if is_head(user):
            return self
        if is_lead(user):
            return self.filter(giver__team_id__in=team_ids_of(user))
        return self.none()


class HandOver(models.Model):
    """A book handed over: by whom, when, whose, to whom, how many of each kind to each
    receiver (``counts``: receiver id → part → rows) and which client went where
    (``clients``: client id → receiver id). Each moved record's history says so too."""

    by = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    giver = models.ForeignKey(
        User, verbose_name=_("from"), on_delete=models.PROTECT, related_name="books_given"
    )
    receivers = models.ManyToManyField(User, verbose_name=_("to"), related_name="books_received")
    counts = models.JSONField(_("counts"), default=dict)
    clients = models.JSONField(_("clients"), default=dict)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = HandOverQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")

    def __str__(self) -> str:
        return f"{self.giver} · {self.created_at:%Y-%m-%d %H:%M}"

    def totals(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for counts in self.counts.values():
            for key, rows in counts.items():
                result[key] = result.get(key, 0) + rows
        return result
