"""The one place where a line's and a deal's money is computed (products, deal lines and
quotes all call it; nothing else multiplies prices).

The rule, per line:

- ``net = quantity × unit price × (1 − discount % / 100)``, rounded to the cent, half up;
- ``tax = net × tax rate % / 100``, rounded to the cent, half up;
- ``gross = net + tax``.

A deal's (or a quote's) net, tax and gross are the sums of its lines' rounded figures, so
the totals always equal what the lines show. A deal with lines takes its **net** total as
its amount (the pipeline, plans and reports count revenue before tax)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from core.money import CENT, ZERO

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal

    def __add__(self, other: Totals) -> Totals:
        return Totals(self.net + other.net, self.tax + other.tax, self.gross + other.gross)


NO_TOTALS = Totals(ZERO, ZERO, ZERO)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_totals(
    *, quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_rate: Decimal
) -> Totals:
    """One line's net, tax and gross, each exact to the cent (see the module's rule)."""
    net = _cents(Decimal(quantity) * Decimal(unit_price) * (HUNDRED - Decimal(discount_percent)) / HUNDRED)
    tax = _cents(net * Decimal(tax_rate) / HUNDRED)
    return Totals(net, tax, net + tax)


def sum_totals(lines: Iterable[Totals]) -> Totals:
    """A deal's or a quote's totals: the sums of its lines' rounded totals."""
    total = NO_TOTALS
    for line in lines:
        total = total + line
    return total
