"""Commercial proposals (quotes): a numbered, versioned snapshot of a deal's lines."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.visibility import VisibleQuerySet
from core.history import HistoricalRecords
from deals.models.catalogue import MONEY, PERCENT, QUANTITY


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class QuoteLanguage(models.TextChoices):
    # The codes of settings.LANGUAGES: the PDF is rendered under translation.override(code).
    EN = "en", _("English")
    RU = "ru", _("Russian")
    ZH_HANS = "zh-hans", _("Simplified Chinese")


class QuoteCounter(models.Model):
    """The last number given in a year; quote_create locks this row to take the next."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("quote counter")
        verbose_name_plural = _("quote counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class QuoteQuerySet(VisibleQuerySet):
    pass


class Quote(models.Model):
    tombstone_name = "quote"  # deletions leave a tombstone (sync)
    visibility_owner_path = "deal__owner"

    number = models.CharField(_("number"), max_length=20, unique=True)
    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="quotes"
    )
    version = models.PositiveIntegerField(_("version"))
    client_name = models.CharField(_("client"), max_length=200)
    contact = models.ForeignKey(
        "clients.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=QuoteLanguage.choices, default=QuoteLanguage.EN
    )
    valid_until = models.DateField(_("valid until"))
    payment_terms = models.TextField(_("payment terms"), blank=True)
    delivery_terms = models.TextField(_("delivery terms"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    net = models.DecimalField(_("net"), default=Decimal("0"), **MONEY)
    tax = models.DecimalField(_("tax"), default=Decimal("0"), **MONEY)
    gross = models.DecimalField(_("gross"), default=Decimal("0"), **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("commercial proposal")
        verbose_name_plural = _("commercial proposals")
        constraints = [
            models.UniqueConstraint(fields=["deal", "version"], name="quote_version_per_deal"),
            models.CheckConstraint(condition=Q(status__in=QuoteStatus.values), name="quote_status_valid"),
            models.CheckConstraint(
                condition=Q(language__in=QuoteLanguage.values), name="quote_language_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="quote_status_validity_idx")]

    def __str__(self) -> str:
        return self.number


class QuoteLine(models.Model):
    """A copy of a deal line as it was when the proposal was issued."""

    quote = models.ForeignKey(
        Quote, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount_percent = models.DecimalField(_("discount, %"), **PERCENT)
    tax_rate = models.DecimalField(_("tax rate, %"), **PERCENT)
    net = models.DecimalField(_("net"), **MONEY)
    tax = models.DecimalField(_("tax"), **MONEY)
    gross = models.DecimalField(_("gross"), **MONEY)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")

    def __str__(self) -> str:
        return self.name
