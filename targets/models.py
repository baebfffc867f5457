from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import sees_team
from accounts.visibility import VisibleQuerySet, team_ids_of, visibility_q
from core.history import HistoricalRecords


class PlanMetric(models.TextChoices):
    BOOKED = "booked", _("Booked revenue (won deals by close date)")
    COLLECTED = "collected", _("Collected revenue (payments by date)")


class MonthMethod(models.TextChoices):
    EVEN = "even", _("evenly")
    WEIGHTS = "weights", _("by given weights")
    LAST_YEAR = "last_year", _("by last year's actual shares")
    EVEN_FALLBACK = "even_fallback", _("evenly (last year had no actuals)")


class SplitMethod(models.TextChoices):
    EVEN = "even", _("evenly")
    WEIGHTS = "weights", _("by given weights")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The department's targets are known to everyone who works in it."""
        return self if user.is_authenticated and user.is_active else self.none()


class Plan(models.Model):
    """A year's target for the whole department, set by the head."""

    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    metric = models.CharField(
        _("metric"), max_length=20, choices=PlanMetric.choices, default=PlanMetric.BOOKED
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    month_method = models.CharField(
        _("months split by"), max_length=20, blank=True, choices=MonthMethod.choices
    )
    team_method = models.CharField(
        _("teams split by"), max_length=20, blank=True, choices=SplitMethod.choices
    )
    rep_method = models.CharField(_("reps split by"), max_length=20, blank=True, choices=SplitMethod.choices)
    decomposed_at = models.DateTimeField(_("decomposed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "metric"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(fields=["year", "metric"], name="plan_year_metric_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="plan_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_metric_display()}"


class AllocationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Head and analyst see every cell; a lead or assistant their team's team-month and
        rep-month cells; everybody else their own rep-month cells. Department month totals
        are for the head and analyst (plan amounts themselves are public, see Plan)."""
        condition = visibility_q(user, "rep")
        if condition is None:
            return self
        if sees_team(user):
            # By the team the cell was allocated to, so a lead keeps seeing the plan of a
            # rep who has since moved on.
            condition |= Q(team_id__in=team_ids_of(user))
        return self.filter(condition)


class Allocation(models.Model):
    """One cell of the decomposition: a month (team and rep empty), a team-month (rep
    empty) or a rep-month (team and rep set)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="allocations"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_allocations",
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "month", "team", "rep"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_amount_non_negative"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="allocation_month_range"),
            models.CheckConstraint(
                condition=Q(rep__isnull=True) | Q(team__isnull=False), name="allocation_rep_has_team"
            ),
            models.UniqueConstraint(
                fields=["plan", "month"],
                condition=Q(team__isnull=True, rep__isnull=True),
                name="allocation_month_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "month", "team"],
                condition=Q(team__isnull=False, rep__isnull=True),
                name="allocation_team_month_unique",
            ),
            models.UniqueConstraint(
                fields=["plan", "month", "rep"],
                condition=Q(rep__isnull=False),
                name="allocation_rep_month_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.month:02d} · {self.team or '-'} · {self.rep or '-'}: {self.amount}"


class ActivityNormQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Role norms are known to everyone; a personal override to whoever sees that person."""
        from accounts.models import User

        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(Q(user__isnull=True) | Q(user__in=User.objects.visible_to(user)))


class ActivityNorm(models.Model):
    """Calls per day and meetings per week, per role or (overriding it) per rep."""

    role = models.CharField(_("role"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity_norm",
    )
    calls_per_day = models.PositiveIntegerField(_("calls per day"), default=0)
    meetings_per_week = models.PositiveIntegerField(_("meetings per week"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ActivityNormQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user"]
        verbose_name = _("activity norm")
        verbose_name_plural = _("activity norms")
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=True) & ~Q(role="")) | (Q(user__isnull=False) & Q(role="")),
                name="norm_role_xor_user",
            ),
            models.UniqueConstraint(fields=["role"], condition=Q(user__isnull=True), name="norm_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.role}: {self.calls_per_day}/day, {self.meetings_per_week}/week"


class InstallmentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """An installment reaches whoever sees its deal's owner and whoever sees the person
        following it up (``follow_up_by``, set when a book was handed over)."""
        by_deal = visibility_q(user, "deal__owner")
        by_follow_up = visibility_q(user, "follow_up_by")
        if by_deal is None or by_follow_up is None:
            return self
        return self.filter(by_deal | by_follow_up)

    def followed_up_by(self, user_id):
        """The installments ``user_id`` chases: set on them, else as the deal's owner."""
        return self.filter(Q(follow_up_by_id=user_id) | Q(follow_up_by__isnull=True, deal__owner_id=user_id))


class Installment(models.Model):
    """One line of a won deal's payment schedule."""

    tombstone_name = "installment"  # deletions leave a tombstone (sync)
    visibility_owner_path = "deal__owner"
    assistant_may_write = True

    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="installments"
    )
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # The sum of this installment's payments, kept by the payment services
    # (targets.services.installment_paid_refresh) so receivables and aging read a column
    # instead of re-summing payments for every installment on every request.
    paid_amount = models.DecimalField(_("paid"), max_digits=14, decimal_places=2, default=0, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Who chases this payment when it is not the deal's owner: the receiver of a handed-over
    # book (a won deal stays credited to whoever won it; its collection moves on).
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follow-up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the deal's owner."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = InstallmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="installment_amount_positive")]
        indexes = [
            models.Index(fields=["deal", "due_date"], name="installment_deal_due_idx"),
            models.Index(fields=["due_date"], name="installment_due_idx"),
            models.Index(
                fields=["deal"],
                condition=Q(paid_amount__lt=models.F("amount")),
                name="installment_outstanding_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal} · {self.due_date} · {self.amount}"

    @property
    def follow_up_person(self):
        """Who chases this payment: the one set, else the deal's owner."""
        return self.follow_up_by or self.deal.owner


class PaymentQuerySet(VisibleQuerySet):
    def counted(self):
        """The payments that count: a voided payment stays as a record but adds to no sum."""
        return self.filter(voided_at__isnull=True)


class Payment(models.Model):
    tombstone_name = "payment"  # deletions leave a tombstone (sync)
    visibility_owner_path = "installment__deal__owner"
    assistant_may_write = True

    installment = models.ForeignKey(
        Installment, verbose_name=_("installment"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    is_overpayment = models.BooleanField(_("recorded as overpayment"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    # A payment that bounced or was recorded by mistake is voided, not deleted: the row and
    # its history stay, and it counts in no paid sum (PaymentQuerySet.counted).
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]
        indexes = [
            models.Index(fields=["installment", "paid_on"], name="payment_installment_date_idx"),
            models.Index(fields=["paid_on"], name="payment_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.installment} · {self.paid_on} · {self.amount}"


class OverdueReasonQuerySet(VisibleQuerySet):
    pass


class OverdueReason(models.Model):
    """Why a payment is late and when it is now promised; kept as a history."""

    visibility_owner_path = "installment__deal__owner"
    assistant_may_write = True

    installment = models.ForeignKey(
        Installment, verbose_name=_("installment"), on_delete=models.CASCADE, related_name="overdue_reasons"
    )
    reason = models.TextField(_("reason"))
    promised_date = models.DateField(_("promised date"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = OverdueReasonQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("overdue reason")
        verbose_name_plural = _("overdue reasons")
        indexes = [models.Index(fields=["installment", "-recorded_at"], name="overduereason_inst_time_idx")]

    def __str__(self) -> str:
        return f"{self.installment}: {self.reason[:60]}"
