"""What is known about a deal: facts a rep records (budget confirmed, decision maker met,
...) and managers' reviews with their verdicts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from deals.models.pipeline import Deal


class FactKind(models.TextChoices):
    BUDGET_CONFIRMED = "budget_confirmed", _("Budget confirmed")
    DECISION_MAKER_MET = "decision_maker_met", _("Decision maker met")
    ASKED_PRICE = "asked_price", _("Asked about price / discount")
    REQUESTED_CONTRACT = "requested_contract", _("Requested contract or invoice")
    GAVE_PURCHASE_DATE = "gave_purchase_date", _("Gave a purchase date")
    NAMED_COMPETITOR = "named_competitor", _("Named a competitor")
    LEFT_CONTACT = "left_contact", _("Left contact for follow-up")
    OTHER = "other", _("Other")


class FactQuerySet(VisibleQuerySet):
    pass


class Fact(models.Model):
    tombstone_name = "fact"  # deletions leave a tombstone (sync)
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(_("kind"), max_length=30, choices=FactKind.choices)
    text = models.TextField(_("what happened"))
    happened_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "clients.Activity",
        verbose_name=_("from activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facts",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [models.Index(fields=["deal", "-happened_on"], name="fact_deal_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FactKind.values), name="fact_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Verdict(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    NEEDS_HELP = "needs_help", _("Needs help")
    UNQUALIFIED = "unqualified", _("Unqualified")


class ReviewQuerySet(VisibleQuerySet):
    pass


class Review(models.Model):
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(Deal, verbose_name=_("deal"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    next_action = models.CharField(_("agreed next action"), max_length=300, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["deal", "-reviewed_at"], name="review_deal_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(verdict__in=Verdict.values), name="review_verdict_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.get_verdict_display()}"
