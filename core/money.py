"""Money: Decimal with two places, rounded half up — one definition for every app."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a DecimalField(max_digits=14, decimal_places=2) holds.
MAX_MONEY = Decimal("999999999999.99")


def money(value) -> Decimal:
    """A value (a database sum, an int, a Decimal) as money: NULL is zero, and SQLite's
    floating sums are rounded back to cents through their text form."""
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal) -> str:
    """A money amount for a message: grouped, two decimals, in the user's locale."""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
