"""What every write of the targets app shares: money and dates checked field by field,
weights parsed, and money split exactly.

Money is split with :func:`split_exactly`: parts in whole cents that always add up to the
parent, the left-over cents going to a deterministic place (the largest remainders, ties
to the later part), so the same input always gives the same split."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from core.filters import check_date_in_range
from core.money import CENT, MAX_MONEY, money_text


def month_name(month: int) -> str:
    return formats.date_format(datetime.date(2000, month, 1), "F")


def difference_text(actual: Decimal, expected: Decimal) -> str:
    difference = actual - expected
    if difference > 0:
        return _("%(amount)s over") % {"amount": money_text(difference)}
    return _("%(amount)s short") % {"amount": money_text(-difference)}


def parse_money(value, *, field_name: str, allow_zero: bool = True) -> Decimal:
    """A Decimal in whole cents, or a ValidationError on ``field_name``."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field_name: _("Enter an amount such as 1500.00.")}) from None
    if not amount.is_finite():
        raise ValidationError({field_name: _("Enter an amount such as 1500.00.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field_name: _("Amounts are in whole cents (at most two decimals).")})
    if amount < 0 or (amount == 0 and not allow_zero):
        message = _("The amount cannot be negative.") if amount < 0 else _("The amount must be positive.")
        raise ValidationError({field_name: message})
    if amount > MAX_MONEY:
        raise ValidationError({field_name: _("The amount is too large.")})
    return amount.quantize(CENT)


def date_in_range(value, *, field_name: str) -> None:
    """Dates far outside any real schedule (year 1, year 9999) are refused on ``field_name``:
    date arithmetic on them overflows."""
    try:
        check_date_in_range(value)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None


# --------------------------------------------------------------------------- exact split


def split_exactly(total: Decimal, weights: Sequence[Decimal | int | Fraction]) -> list[Decimal]:
    """Split ``total`` (whole cents, not negative) in proportion to ``weights``.

    Each part first gets the floor of its exact share in cents; the cents left over go one
    each to the parts with the largest fractional remainder, ties to the later part. So
    the parts always add up exactly to ``total``, a zero weight always gets 0.00, and an
    even split of 1,000.00 in three is 333.33 / 333.33 / 333.34."""
    if not weights:
        raise ValueError("split_exactly needs at least one weight")
    cents = total * 100
    if cents != cents.to_integral_value() or total < 0:
        raise ValueError(f"{total} is not a non-negative amount in whole cents")
    cents = int(cents)
    shares = [Fraction(w) for w in weights]
    if any(share < 0 for share in shares):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(shares)
    if weight_sum == 0:
        raise ValueError("weights cannot all be zero")
    exact = [cents * share / weight_sum for share in shares]
    parts = [math.floor(value) for value in exact]
    left_over = cents - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (exact[i] - parts[i], i), reverse=True)
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return [(Decimal(part) / 100).quantize(CENT) for part in parts]


def parse_weights(values, *, field_name: str, count: int | None = None, labels: Sequence[str] = ()) -> list:
    """Validate a list of weights: numbers, not negative, not all zero, ``count`` of them."""
    values = list(values or [])
    if count is not None and len(values) != count:
        raise ValidationError(
            {
                field_name: _("Give %(expected)d weights; %(given)d were given.")
                % {"expected": count, "given": len(values)}
            }
        )
    parsed = []
    for index, value in enumerate(values):
        label = labels[index] if index < len(labels) else str(index + 1)
        try:
            weight = Fraction(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError, TypeError):
            raise ValidationError(
                {field_name: _("The weight for %(what)s is not a number.") % {"what": label}}
            ) from None
        if weight < 0:
            raise ValidationError({field_name: _("The weight for %(what)s is negative.") % {"what": label}})
        parsed.append(weight)
    if parsed and sum(parsed) == 0:
        raise ValidationError(
            {field_name: _("The weights add up to zero; give at least one a positive weight.")}
        )
    return parsed
