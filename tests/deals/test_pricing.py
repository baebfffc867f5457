"""deals.pricing: the one rounding rule of lines and totals, checked by example and by
property (Hypothesis) against exact rational arithmetic."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from deals.pricing import Totals, line_totals, sum_totals


def test_a_line_rounds_net_and_tax_to_the_cent_half_up():
    # 3 × 33.33 = 99.99, less 12.5 % = 87.49125 → 87.49; tax 20 % = 17.498 → 17.50
    totals = line_totals(
        quantity=Decimal("3"),
        unit_price=Decimal("33.33"),
        discount_percent=Decimal("12.5"),
        tax_rate=Decimal("20"),
    )
    assert totals == Totals(Decimal("87.49"), Decimal("17.50"), Decimal("104.99"))


def test_a_half_cent_rounds_up():
    # 0.5 × 0.01 = 0.005 → 0.01 (half up, not to even)
    totals = line_totals(
        quantity=Decimal("0.5"),
        unit_price=Decimal("0.01"),
        discount_percent=Decimal("0"),
        tax_rate=Decimal("0"),
    )
    assert totals.net == Decimal("0.01")


def test_deal_totals_are_the_sums_of_the_rounded_lines_not_a_rounding_of_the_sum():
    line = line_totals(
        quantity=Decimal("1"),
        unit_price=Decimal("0.333"),
        discount_percent=Decimal("0"),
        tax_rate=Decimal("0"),
    )
    assert line.net == Decimal("0.33")
    assert sum_totals([line, line, line]).net == Decimal("0.99")


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("1000000"), places=2)
percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
line_args = st.fixed_dictionaries(
    {"quantity": quantities, "unit_price": prices, "discount_percent": percents, "tax_rate": percents}
)


def _half_up_cents(value: Fraction) -> Fraction:
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


@given(line_args)
def test_every_line_is_exact_to_the_cent(args):
    totals = line_totals(**args)
    exact_net = (
        Fraction(args["quantity"])
        * Fraction(args["unit_price"])
        * (100 - Fraction(args["discount_percent"]))
        / 100
    )
    assert Fraction(totals.net) == _half_up_cents(exact_net)
    assert Fraction(totals.tax) == _half_up_cents(Fraction(totals.net) * Fraction(args["tax_rate"]) / 100)
    assert totals.gross == totals.net + totals.tax
    for value in (totals.net, totals.tax, totals.gross):
        assert value.as_tuple().exponent == -2
        assert value >= 0


@given(st.lists(line_args, max_size=20))
def test_totals_are_exactly_the_sums_of_the_lines(lines):
    each = [line_totals(**args) for args in lines]
    total = sum_totals(each)
    assert total.net == sum((t.net for t in each), Decimal("0.00"))
    assert total.tax == sum((t.tax for t in each), Decimal("0.00"))
    assert total.gross == total.net + total.tax
