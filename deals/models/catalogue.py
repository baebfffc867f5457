"""The product catalogue and the lines of a deal (product or free text, priced by
deals.pricing)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_usable
from accounts.visibility import VisibleQuerySet
from core.history import HistoricalRecords

PERCENT = {"max_digits": 5, "decimal_places": 2}
MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 3}


def default_max_discount() -> Decimal:
    """A new product's discount limit: settings.DEFAULT_MAX_DISCOUNT_PERCENT."""
    return Decimal(str(settings.DEFAULT_MAX_DISCOUNT_PERCENT))


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue is read by everyone signed in."""
        return self.all() if is_usable(user) else self.none()

    def active(self):
        return self.filter(is_active=True)


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, unique=True)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    list_price = models.DecimalField(_("list price"), **MONEY)
    tax_rate = models.DecimalField(_("tax rate, %"), default=Decimal("0"), **PERCENT)
    max_discount_percent = models.DecimalField(
        _("max discount without approval, %"), default=default_max_discount, **PERCENT
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=Q(list_price__gte=0), name="product_price_non_negative"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lte=100), name="product_tax_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(max_discount_percent__gte=0, max_discount_percent__lte=100),
                name="product_max_discount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class ApprovalStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Within the limit")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DealLineQuerySet(VisibleQuerySet):
    pass


class DealLine(models.Model):
    """One line of a deal. ``net``/``tax``/``gross`` are written by the services from
    deals.pricing whenever the line changes, so sums in the database are the lines' sums."""

    tombstone_name = "deal_line"  # deletions leave a tombstone (sync)
    visibility_owner_path = "deal__owner"

    deal = models.ForeignKey(
        "deals.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount_percent = models.DecimalField(_("discount, %"), default=Decimal("0"), **PERCENT)
    tax_rate = models.DecimalField(_("tax rate, %"), default=Decimal("0"), **PERCENT)
    net = models.DecimalField(_("net"), default=Decimal("0"), **MONEY)
    tax = models.DecimalField(_("tax"), default=Decimal("0"), **MONEY)
    gross = models.DecimalField(_("gross"), default=Decimal("0"), **MONEY)
    approval = models.CharField(
        _("discount approval"),
        max_length=12,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.NOT_NEEDED,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = DealLineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="dealline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="dealline_price_non_negative"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="dealline_discount_range",
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lte=100), name="dealline_tax_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(approval__in=ApprovalStatus.values), name="dealline_approval_valid"
            ),
        ]
        indexes = [
            # The discounts waiting for a decision (the head's home, a lead's queue): a handful
            # among all the lines (129,000 at department scale), read without scanning them.
            models.Index(fields=["deal"], condition=Q(approval="pending"), name="dealline_pending_approval"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_decision(self) -> bool:
        return self.approval == ApprovalStatus.PENDING
