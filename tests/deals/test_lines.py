"""Products and deal lines: who keeps the catalogue, a deal's amount from its lines, and
the discount above a product's limit waiting for the lead's approval."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from deals import services
from deals.models import ApprovalStatus, Deal, DealLine, Product
from tests.deals.conftest import make_deal
from tests.factories import ProductFactory, lost_reason

pytestmark = pytest.mark.django_db


def test_only_the_head_creates_and_changes_products(department, settings):
    settings.DEFAULT_MAX_DISCOUNT_PERCENT = "7.5"
    product = services.product_create(
        by=department.head, name=" Licence ", code="LIC-1", list_price="120.50", tax_rate=Decimal("20")
    )
    assert (product.name, product.code, product.list_price, product.max_discount_percent) == (
        "Licence",
        "LIC-1",
        Decimal("120.50"),
        Decimal("7.5"),
    )
    for user in (department.lead_north, department.rep_north, department.analyst):
        with pytest.raises(PermissionDenied):
            services.product_create(by=user, name="X", code="X-1", list_price=1)
        with pytest.raises(PermissionDenied):
            services.product_update(by=user, product=product, data={"is_active": False})
    services.product_update(by=department.head, product=product, data={"is_active": False})
    assert Product.objects.get(pk=product.pk).is_active is False
    assert product.history.count() == 2


def test_a_product_code_is_unique_whatever_its_case_and_numbers_stay_in_range(department):
    ProductFactory(code="LIC-1")
    with pytest.raises(ValidationError) as error:
        services.product_create(by=department.head, name="Y", code="lic-1", list_price="-1", tax_rate="101")
    assert set(error.value.message_dict) == {"code", "list_price", "tax_rate"}
    assert Product.objects.count() == 1


def test_the_deal_amount_follows_its_lines_net_total(department, stages):
    deal = make_deal(department.rep_north, amount="5000.00")
    product = ProductFactory(list_price=Decimal("99.99"), tax_rate=Decimal("20"))
    line = services.deal_line_add(by=department.rep_north, deal=deal, product=product, quantity=Decimal("3"))
    assert (line.name, line.unit_price, line.net, line.tax, line.gross) == (
        product.name,
        Decimal("99.99"),
        Decimal("299.97"),
        Decimal("59.99"),
        Decimal("359.96"),
    )
    services.deal_line_add(
        by=department.rep_north, deal=deal, name="Installation", quantity=1, unit_price=Decimal("0.03")
    )
    deal.refresh_from_db()
    assert deal.amount == Decimal("300.00")
    services.deal_line_update(by=department.rep_north, line=line, data={"discount_percent": Decimal("10")})
    deal.refresh_from_db()
    assert deal.amount == Decimal("269.97") + Decimal("0.03")
    services.deal_line_delete(by=department.rep_north, line=line)
    deal.refresh_from_db()
    assert deal.amount == Decimal("0.03")


def test_a_deal_with_lines_refuses_a_typed_amount_and_one_without_keeps_it(department, stages):
    deal = make_deal(department.rep_north, amount="5000.00")
    services.deal_update(deal=deal, by=department.rep_north, data={"amount": Decimal("6000")})
    services.deal_line_add(by=department.rep_north, deal=deal, name="Work", quantity=2, unit_price="10")
    with pytest.raises(ValidationError) as error:
        services.deal_update(deal=deal, by=department.rep_north, data={"amount": Decimal("6000")})
    assert "sum of its lines" in error.value.message_dict["amount"][0]
    # the same amount (a full PUT repeating it) is not a change
    services.deal_update(
        deal=deal, by=department.rep_north, data={"amount": Decimal("20.00"), "title": "New"}
    )
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("20.00")


def test_a_discount_above_the_limit_waits_for_the_lead_who_records_the_decision(department, stages):
    deal = make_deal(department.rep_north)
    product = ProductFactory(max_discount_percent=Decimal("10"))
    within = services.deal_line_add(
        by=department.rep_north, deal=deal, product=product, quantity=1, discount_percent=Decimal("10")
    )
    above = services.deal_line_add(
        by=department.rep_north, deal=deal, product=product, quantity=1, discount_percent=Decimal("10.01")
    )
    assert (within.approval, above.approval) == (ApprovalStatus.NOT_NEEDED, ApprovalStatus.PENDING)
    assert services.lines_block_quote(deal) == "A discount awaits the approval of the team lead."
    for outsider in (department.rep_north, department.lead_south, department.rep_north_2):
        with pytest.raises(PermissionDenied):
            services.deal_line_decide(by=outsider, line=above, approve=True)
    decided = services.deal_line_decide(by=department.lead_north, line=above, approve=True)
    assert (decided.approval, decided.approved_by) == (ApprovalStatus.APPROVED, department.lead_north)
    assert decided.approved_at is not None
    assert services.lines_block_quote(deal) is None
    # a larger discount than the approved one is judged again
    services.deal_line_update(by=department.rep_north, line=above, data={"discount_percent": Decimal("15")})
    assert DealLine.objects.get(pk=above.pk).approval == ApprovalStatus.PENDING
    services.deal_line_decide(by=department.head, line=above, approve=False)
    assert services.lines_block_quote(deal) == "A discount was refused: change or remove that line first."
    assert above.history.count() >= 4


def test_a_lead_approves_the_discount_of_a_line_they_write(department, stages):
    deal = make_deal(department.rep_north)
    line = services.deal_line_add(
        by=department.lead_north,
        deal=deal,
        name="Special",
        quantity=1,
        unit_price="100",
        discount_percent="50",
    )
    assert (line.approval, line.approved_by) == (ApprovalStatus.APPROVED, department.lead_north)


def test_lines_refuse_bad_numbers_hidden_deals_and_closed_deals(department, stages):
    deal = make_deal(department.rep_north)
    for bad in (
        {"quantity": 0},
        {"quantity": "abc"},
        {"quantity": "1e30"},
        {"unit_price": "-1"},
        {"discount_percent": "100.01"},
        {"tax_rate": "NaN"},
        {"quantity": "0.0001"},
    ):
        values = {"name": "X", "quantity": 1, "unit_price": "1"} | bad
        with pytest.raises(ValidationError):
            services.deal_line_add(by=department.rep_north, deal=deal, **values)
    with pytest.raises(ValidationError):
        services.deal_line_add(
            by=department.rep_north, deal=deal, name="X", quantity="999999999", unit_price="999999999999"
        )
    with pytest.raises(Http404):
        services.deal_line_add(by=department.rep_south, deal=deal, name="X", quantity=1, unit_price=1)
    with pytest.raises(PermissionDenied):
        services.deal_line_add(by=department.analyst, deal=deal, name="X", quantity=1, unit_price=1)
    retired = ProductFactory(is_active=False)
    with pytest.raises(ValidationError):
        services.deal_line_add(by=department.rep_north, deal=deal, product=retired, quantity=1)
    won = make_deal(department.rep_north, stage="Won")
    with pytest.raises(ValidationError):
        services.deal_line_add(by=department.rep_north, deal=won, name="X", quantity=1, unit_price=1)
    assert DealLine.objects.count() == 0
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("1000.00")


def test_no_decision_on_the_discount_of_a_closed_deal(department, stages):
    deal = make_deal(department.rep_north)
    line = services.deal_line_add(
        by=department.rep_north,
        deal=deal,
        product=ProductFactory(),
        quantity=1,
        discount_percent=Decimal("40"),
    )
    services.deal_move(
        deal=deal, stage=stages["Lost"], by=department.rep_north, lost_reason=lost_reason("Price")
    )
    with pytest.raises(ValidationError):
        services.deal_line_decide(
            by=department.lead_north, line=DealLine.objects.get(pk=line.pk), approve=True
        )
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.PENDING
