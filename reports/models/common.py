"""What every report table shares: the scope of a row (department, team or person), its
period, its visibility and its natural key (period × scope) as partial unique constraints
— a plain constraint would let NULL team/person columns duplicate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import sees_team
from accounts.visibility import team_ids_of, visibility_q

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 7, "decimal_places": 2}


class Scope(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")
    REP = "rep", _("Person")


class PeriodKind(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class ReportRowQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own rows; a lead or assistant also their team's row and the
        rows of their team's people; head and analyst every row, the department's too."""
        condition = visibility_q(user, "rep")
        if condition is None:
            return self
        if sees_team(user):
            condition |= Q(scope=Scope.TEAM, team_id__in=team_ids_of(user))
        return self.filter(condition)


def newest_first_index(prefix: str) -> models.Index:
    """The report's rows by period, newest first, as every list of them starts: the first
    page then sorts only the newest period's rows (PostgreSQL's incremental sort) instead of
    every month's (the conversion report's API: 11.6 -> 0.4 ms for 5,076 rows at scale)."""
    return models.Index(fields=["-period"], name=f"{prefix}_newest_idx")


def scope_constraints(prefix: str, key: tuple[str, ...] = ("period",)) -> list[models.BaseConstraint]:
    """The natural key (period × scope) as partial unique constraints, and the rule that a
    scope names exactly what it is about."""
    return [
        models.UniqueConstraint(
            fields=[*key], condition=Q(scope=Scope.DEPARTMENT), name=f"{prefix}_department_unique"
        ),
        models.UniqueConstraint(
            fields=[*key, "team"], condition=Q(scope=Scope.TEAM), name=f"{prefix}_team_unique"
        ),
        models.UniqueConstraint(
            fields=[*key, "rep"], condition=Q(scope=Scope.REP), name=f"{prefix}_rep_unique"
        ),
        models.CheckConstraint(
            condition=(Q(scope=Scope.DEPARTMENT) & Q(team__isnull=True) & Q(rep__isnull=True))
            | (Q(scope=Scope.TEAM) & Q(team__isnull=False) & Q(rep__isnull=True))
            | (Q(scope=Scope.REP) & Q(team__isnull=True) & Q(rep__isnull=False)),
            name=f"{prefix}_scope_consistent",
        ),
    ]


class ReportRow(models.Model):
    """What every report table has: the period (first day of the month, or the day), the
    scope, and the date the figures were computed through."""

    period = models.DateField(_("period"))
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    as_of = models.DateField(_("figures as of"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set by the report services only when a figure changed, so a re-run that finds the
    # same figures leaves the row untouched and ``updated_since`` stays meaningful.
    updated_at = models.DateTimeField(_("updated"), db_index=True)

    objects = ReportRowQuerySet.as_manager()

    # The figure fields the services compute (everything but key and bookkeeping).
    KEY_FIELDS = ("period", "scope", "team_id", "rep_id")

    class Meta:
        abstract = True
        ordering = ["-period", "pk"]

    def describe(self) -> str:
        return f"{self.period.isoformat()} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.scope == Scope.TEAM:
            return str(self.team)
        if self.scope == Scope.REP:
            return str(self.rep)
        return str(_("Department"))
