"""Writes to the product catalogue and to deal lines.

A line's net / tax / gross come from deals.pricing; after every change of a deal's lines
the deal's amount becomes the lines' net total (a deal without lines keeps its typed
amount). A discount above the product's limit (free-text lines: the default limit) leaves
the line awaiting the approval of the deal owner's lead or the head; no proposal is issued
while a line awaits a decision or was refused."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict
from core.locks import lock_one, lock_value
from core.money import MAX_MONEY, ZERO
from deals.models import ApprovalStatus, Deal, DealLine, Product, StageKind, default_max_discount
from deals.pricing import line_totals
from deals.rules import can_approve_discount, can_manage_products
from deals.services.checks import _lock

MAX_QUANTITY = Decimal("999999999.999")
PRODUCT_FIELDS = ("name", "code", "unit", "list_price", "tax_rate", "max_discount_percent", "is_active")
LINE_FIELDS = ("product", "name", "unit", "quantity", "unit_price", "discount_percent", "tax_rate")


def _decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def _number_errors(values: dict[str, Any], bounds: dict[str, tuple[Decimal, Decimal, int]]) -> dict[str, str]:
    """Each named number within (low, high) with at most ``places`` decimals; the values are
    replaced by Decimals."""
    errors = {}
    for name, (low, high, places) in bounds.items():
        if name not in values:
            continue
        number = _decimal(values[name])
        if number is None:
            errors[name] = _("Enter a number.")
        elif not (low <= number <= high):
            errors[name] = _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        elif -number.as_tuple().exponent > places:
            errors[name] = _("Use at most %(places)s decimal places.") % {"places": places}
        else:
            values[name] = number
    return errors


PRODUCT_BOUNDS = {
    "list_price": (ZERO, MAX_MONEY, 2),
    "tax_rate": (ZERO, Decimal(100), 2),
    "max_discount_percent": (ZERO, Decimal(100), 2),
}


def _product_errors(values: dict[str, Any], product: Product | None) -> dict[str, str]:
    errors = _number_errors(values, PRODUCT_BOUNDS)
    for name, limit in (("name", 200), ("code", 40), ("unit", 20)):
        if name in values:
            values[name] = (values[name] or "").strip()
            if not values[name]:
                errors[name] = _("This field is required.")
            elif len(values[name]) > limit:
                errors[name] = _("Keep this under %(limit)s characters.") % {"limit": limit}
    code = values.get("code")
    if code and "code" not in errors:
        lock_value("product-code", code.casefold())  # until commit: a second one sees this one
        taken = Product.objects.filter(code__iexact=code)
        if product is not None:
            taken = taken.exclude(pk=product.pk)
        if taken.exists():
            errors["code"] = _("Another product already has this code.")
    return errors


def _ensure_manages_products(by: User) -> None:
    if not can_manage_products(by):
        raise PermissionDenied(_("Only the head of sales manages the product catalogue."))


@transaction.atomic
def product_create(
    *,
    by: User,
    name: str,
    code: str,
    list_price,
    unit: str = "pcs",
    tax_rate=Decimal("0"),
    max_discount_percent=None,
    is_active: bool = True,
) -> Product:
    _ensure_manages_products(by)
    values = {
        "name": name,
        "code": code,
        "unit": unit,
        "list_price": list_price,
        "tax_rate": tax_rate,
        "max_discount_percent": default_max_discount()
        if max_discount_percent is None
        else max_discount_percent,
    }
    errors = _product_errors(values, None)
    if errors:
        raise ValidationError(errors)
    product = Product(is_active=is_active, **values)
    product._history_user = by
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:  # the unique index, should a writer not take the lock
        raise ValidationError({"code": _("Another product already has this code.")}) from None
    return product


@transaction.atomic
def product_update(*, by: User, product: Product, data: dict[str, Any]) -> Product:
    """Change a product; ``is_active=False`` takes it out of the choices of new lines
    (existing lines and proposals keep it)."""
    _ensure_manages_products(by)
    unknown = set(data) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_update does not change {sorted(unknown)}")
    current = lock_one(Product.objects, pk=product.pk)
    values = dict(data)
    errors = _product_errors(values, current)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return current
    for name in changed:
        setattr(current, name, values[name])
    current._history_user = by
    current.save(update_fields=[*changed, "updated_at"])
    return current


# --- deal lines -------------------------------------------------------------------------

LINE_BOUNDS = {
    "quantity": (Decimal("0.001"), MAX_QUANTITY, 3),
    "unit_price": (ZERO, MAX_MONEY, 2),
    "discount_percent": (ZERO, Decimal(100), 2),
    "tax_rate": (ZERO, Decimal(100), 2),
}


def _lock_open_deal(deal: Deal, by: User) -> Deal:
    """The deal's row locked (lines of one deal change one at a time, so its amount is the
    sum of what is there); a closed deal's lines are its result and stay."""
    current = _lock(deal, by)
    if current.stage.kind != StageKind.OPEN:
        raise ValidationError(_("The deal is closed: its lines no longer change."))
    return current


def _line_errors(values: dict[str, Any]) -> dict[str, str]:
    errors = _number_errors(values, LINE_BOUNDS)
    for name, limit in (("name", 200), ("unit", 20)):
        if name in values:
            values[name] = (values[name] or "").strip()
            if len(values[name]) > limit:
                errors[name] = _("Keep this under %(limit)s characters.") % {"limit": limit}
    if not values.get("name") and "name" not in errors:
        errors["name"] = _("Choose a product or name the line.")
    return errors


def _discount_limit(line: DealLine) -> Decimal:
    return line.product.max_discount_percent if line.product_id else default_max_discount()


def _price_and_judge(line: DealLine, by: User, deal: Deal) -> None:
    """Totals from deals.pricing; the approval the discount needs. A lead (or the head)
    who may decide for the deal's owner approves their own line on writing it."""
    totals = line_totals(
        quantity=line.quantity,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        tax_rate=line.tax_rate,
    )
    if max(totals.net, totals.gross) > MAX_MONEY:
        raise ValidationError({"quantity": _("The line's total is larger than an amount can be.")})
    line.net, line.tax, line.gross = totals.net, totals.tax, totals.gross
    if line.discount_percent <= _discount_limit(line):
        line.approval, line.approved_by, line.approved_at = ApprovalStatus.NOT_NEEDED, None, None
    elif can_approve_discount(by, deal):
        line.approval, line.approved_by, line.approved_at = ApprovalStatus.APPROVED, by, timezone.now()
    else:
        line.approval, line.approved_by, line.approved_at = ApprovalStatus.PENDING, None, None


def _sync_amount(deal: Deal, by: User) -> None:
    """The deal's amount is its lines' net total (a deal without lines keeps its amount)."""
    total = deal.lines.aggregate(net=Sum("net"))["net"]
    if total is None or total == deal.amount:
        return
    if total > MAX_MONEY:
        raise ValidationError({"quantity": _("The deal's total is larger than an amount can be.")})
    deal.amount = total
    deal._history_user = by
    deal._change_reason = "lines"
    deal.save(update_fields=["amount", "updated_at"])


def _with_product_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """A product line takes the product's name, unit, list price and tax rate unless given."""
    product = values.get("product")
    if product is None:
        return values
    if not product.is_active:
        raise ValidationError({"product": _("This product is no longer sold.")})
    defaults = {
        "name": product.name,
        "unit": product.unit,
        "unit_price": product.list_price,
        "tax_rate": product.tax_rate,
    }
    for name, value in defaults.items():
        if values.get(name) in (None, ""):
            values[name] = value
    return values


@transaction.atomic
def deal_line_add(
    *,
    by: User,
    deal: Deal,
    quantity,
    product: Product | None = None,
    name: str = "",
    unit: str = "",
    unit_price=None,
    discount_percent=Decimal("0"),
    tax_rate=None,
) -> DealLine:
    current = _lock_open_deal(deal, by)
    values = _with_product_defaults(
        {
            "product": product,
            "name": name,
            "unit": unit,
            "quantity": quantity,
            "unit_price": unit_price,
            "discount_percent": discount_percent,
            "tax_rate": Decimal("0") if tax_rate is None and product is None else tax_rate,
        }
    )
    if values["unit_price"] is None:
        raise ValidationError({"unit_price": _("Give the unit price of a line without a product.")})
    errors = _line_errors(values)
    if errors:
        raise ValidationError(errors)
    position = (current.lines.aggregate(last=Max("position"))["last"] or 0) + 1
    line = DealLine(deal=current, position=position, **values)
    _price_and_judge(line, by, current)
    line._history_user = by
    line.save()
    _sync_amount(current, by)
    return line


def _lock_line(line: DealLine, by: User) -> tuple[Deal, DealLine]:
    deal = _lock_open_deal(line.deal, by)
    return deal, lock_one(DealLine.objects, pk=line.pk)


@transaction.atomic
def deal_line_update(*, by: User, line: DealLine, data: dict[str, Any]) -> DealLine:
    """Change a line; a changed discount is judged again (an approval covers the discount
    that was approved, not a larger one)."""
    unknown = set(data) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(f"deal_line_update does not change {sorted(unknown)}")
    deal, current = _lock_line(line, by)
    given = {name: value for name, value in data.items() if value not in (None, "") or name == "product"}
    values = {name: getattr(current, name) for name in LINE_FIELDS} | given
    product = values["product"]
    if product is not None and product.pk != current.product_id:
        # Another product: its name, unit, price and tax rate unless given with it.
        values = _with_product_defaults(
            {name: given.get(name) for name in LINE_FIELDS}
            | {"quantity": values["quantity"]}
            | {"discount_percent": values["discount_percent"]}
        )
    errors = _line_errors(values)
    if errors:
        raise ValidationError(errors)
    repriced = any(values[name] != getattr(current, name) for name in LINE_FIELDS)
    if not repriced:
        return current
    was_decided = (
        current.approval in (ApprovalStatus.APPROVED,)
        and values["discount_percent"] <= current.discount_percent
    )
    approval = (current.approval, current.approved_by, current.approved_at)
    for name in LINE_FIELDS:
        setattr(current, name, values[name])
    _price_and_judge(current, by, deal)
    if was_decided and current.approval == ApprovalStatus.PENDING:
        # The same or a smaller discount than the one approved stays approved.
        current.approval, current.approved_by, current.approved_at = approval
    current._history_user = by
    current.save()
    _sync_amount(deal, by)
    return current


@transaction.atomic
def deal_line_delete(*, by: User, line: DealLine) -> None:
    deal, current = _lock_line(line, by)
    current._history_user = by
    current.delete()
    _sync_amount(deal, by)


@transaction.atomic
def deal_line_decide(
    *, by: User, line: DealLine, approve: bool, discount_percent: Decimal | None = None
) -> DealLine:
    """The owner's lead or the head approves or refuses a discount above the limit; who and
    when are recorded on the line (and in its history). ``discount_percent``, the discount
    the decider looked at: when the line's owner changed it meanwhile, the decision is a
    ``Conflict`` (an approval of 10 % must not approve the 60 % written a moment before)."""
    deal = line.deal
    if not can_approve_discount(by, deal):
        raise PermissionDenied(_("Only the owner's team lead or the head of sales decides on a discount."))
    if deal.stage.kind != StageKind.OPEN:
        raise ValidationError(_("The deal is closed: its lines no longer change."))
    current = lock_one(DealLine.objects, pk=line.pk)
    if current.approval != ApprovalStatus.PENDING:
        raise ValidationError(_("This line is not awaiting a decision."))
    if discount_percent is not None and current.discount_percent != discount_percent:
        raise Conflict(
            _("The discount changed to %(percent)s%% while you decided; look at the line again.")
            % {"percent": floatformat(current.discount_percent, "-2")}
        )
    current.approval = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    current.approved_by = by
    current.approved_at = timezone.now()
    current._history_user = by
    current.save(update_fields=["approval", "approved_by", "approved_at", "updated_at"])
    return current


def lines_block_quote(deal: Deal) -> str | None:
    """Why the deal cannot issue a proposal now, or None."""
    lines = list(deal.lines.values_list("approval", flat=True))
    if not lines:
        return _("Add lines to the deal before issuing a proposal.")
    if ApprovalStatus.PENDING in lines:
        return _("A discount awaits the approval of the team lead.")
    if ApprovalStatus.REJECTED in lines:
        return _("A discount was refused: change or remove that line first.")
    return None
