"""The products pages, the deal page's lines and proposals panel (htmx) and the proposal's
page: what each role sees and may do, refusals as form errors, constant query counts."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from deals.models import ApprovalStatus, Deal, DealLine, Product, Quote
from tests.deals.conftest import make_deal
from tests.factories import ContactFactory, ProductFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_head_creates_and_deactivates_a_product_others_only_read(client, department):
    client.force_login(department.head)
    response = client.post(
        reverse("deals:product_create"),
        {
            "name": "Licence",
            "code": "LIC",
            "unit": "seat",
            "list_price": "480",
            "tax_rate": "20",
            "max_discount_percent": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(code="LIC")
    assert product.max_discount_percent == Decimal("10")
    duplicate = client.post(
        reverse("deals:product_create"),
        {"name": "X", "code": "lic", "unit": "pcs", "list_price": "1", "tax_rate": "0"},
    )
    assert duplicate.status_code == 400
    assert "Another product already has this code." in duplicate.content.decode()
    edit = client.post(
        reverse("deals:product_edit", args=[product.pk]),
        {
            "name": "Licence",
            "code": "LIC",
            "unit": "seat",
            "list_price": "480",
            "tax_rate": "20",
            "max_discount_percent": "10",
        },
    )
    assert edit.status_code == 302 and Product.objects.get(pk=product.pk).is_active is False
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:products"))
    assert page.status_code == 200 and "Licence" in page.content.decode()
    assert reverse("deals:product_create") not in page.content.decode()
    assert client.get(reverse("deals:product_create")).status_code == 403
    assert client.get(reverse("deals:product_edit", args=[product.pk])).status_code == 403
    assert client.get(reverse("deals:products") + "?active=maybe").status_code == 200
    export = client.get(reverse("deals:products") + "?export=csv")
    assert export.status_code == 200 and b"LIC" in b"".join(
        export.streaming_content if export.streaming else [export.content]
    )


def test_the_products_page_runs_a_constant_number_of_queries(client, department, django_assert_num_queries):
    client.force_login(department.rep_north)
    for total in (3, 12):
        ProductFactory.create_batch(total - Product.objects.count())
        with django_assert_num_queries(3):  # the user, count, page
            response = client.get(reverse("deals:products"))
        assert response.status_code == 200
        assert response.content.decode().count('class="product-name"') == total


def test_the_products_list_is_the_sites_table_sorted_by_ordering_like_every_list(client, department):
    """It had no Meta of its own: django-tables2's own template (unstyled) and ``?sort=``."""
    ProductFactory(code="B", name="Beta")
    ProductFactory(code="A", name="Alpha")
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:products"), {"ordering": "-name"}).content.decode()
    assert '<table class="table product-table">' in page
    assert "?ordering=name" in page and "?sort=" not in page
    assert page.index(">Beta<") < page.index(">Alpha<")


def test_the_rep_adds_edits_and_removes_lines_and_the_totals_follow(client, department, stages):
    deal = make_deal(department.rep_north, amount="5000.00")
    product = ProductFactory(name="Licence", list_price=Decimal("100.00"), tax_rate=Decimal("20"))
    client.force_login(department.rep_north)
    added = client.post(
        reverse("deals:line_add", args=[deal.pk]),
        {"product": product.pk, "quantity": "3", "discount_percent": "0"},
        **HTMX,
    )
    assert added.status_code == 200
    body = added.content.decode()
    assert 'data-testid="lines-net">300.00\xa0₽<' in body
    assert 'id="deal-amount" hx-swap-oob="true">300.00\xa0₽<' in body
    # the weighted figure beside it follows too (it kept the old amount's until a reload)
    probability = Deal.objects.get(pk=deal.pk).effective_probability
    weighted = f"{300 * probability / 100:,.2f}"
    assert f'id="deal-weighted" hx-swap-oob="true">{probability}% · ≈ {weighted}\xa0₽<' in body
    line = DealLine.objects.get(deal=deal)
    bad = client.post(
        reverse("deals:line_edit", args=[line.pk]),
        {"product": product.pk, "quantity": "-1", "discount_percent": "0"},
        **HTMX,
    )
    assert bad.status_code == 400 and 'data-testid="line-error"' in bad.content.decode()
    # the message sits with its field, which is marked, not in a list under the form
    quantity = re.search(
        r'<label class="has-error">Quantity (<input[^>]*>)<span class="field-error"', bad.content.decode()
    )
    assert quantity and 'name="quantity"' in quantity.group(1) and 'aria-invalid="true"' in quantity.group(1)
    client.post(
        reverse("deals:line_edit", args=[line.pk]),
        {
            "product": product.pk,
            "quantity": "2",
            "unit_price": "100",
            "discount_percent": "10",
            "tax_rate": "20",
        },
        **HTMX,
    )
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("180.00")
    edit_form = client.post(
        reverse("deals:edit", args=[deal.pk]), {"title": "T", "amount": "1", "deal_type": "new"}
    )
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("180.00"), edit_form.status_code
    client.post(reverse("deals:line_delete", args=[line.pk]), **HTMX)
    assert not DealLine.objects.filter(deal=deal).exists()


def test_a_pending_discount_blocks_the_proposal_until_the_lead_approves_on_the_deal_page(
    client, department, stages
):
    deal = make_deal(department.rep_north)
    product = ProductFactory(max_discount_percent=Decimal("10"))
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:line_add", args=[deal.pk]),
        {"product": product.pk, "quantity": "1", "discount_percent": "20"},
        **HTMX,
    )
    body = response.content.decode()
    assert "Line added: the discount awaits the team lead&#x27;s approval." in body
    assert 'data-testid="quote-blocked"' in body and 'data-testid="line-approve"' not in body
    line = DealLine.objects.get(deal=deal)
    assert client.post(reverse("deals:line_approve", args=[line.pk]), **HTMX).status_code == 403
    client.force_login(department.rep_south)
    assert client.post(reverse("deals:line_approve", args=[line.pk]), **HTMX).status_code == 404
    client.force_login(department.lead_north)
    page = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert 'data-testid="line-approve"' in page
    approved = client.post(reverse("deals:line_approve", args=[line.pk]), **HTMX).content.decode()
    assert "Discount approved." in approved and 'data-testid="quote-form"' in approved
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.APPROVED


def test_the_proposal_page_previews_sends_and_accepts(client, department, stages):
    deal = make_deal(department.rep_north, stage="Proposal")
    contact = ContactFactory(client=deal.client, email="buyer@example.com")
    DealLine.objects.create(deal=deal, name="Работа", quantity=1, unit_price=10, net=10, gross=10)
    client.force_login(department.rep_north)
    created = client.post(
        reverse("deals:quote_create", args=[deal.pk]),
        {"language": "ru", "contact": contact.pk, "payment_terms": "100% предоплата"},
        **HTMX,
    )
    assert created.status_code == 200
    quote = Quote.objects.get(deal=deal)
    page = client.get(reverse("deals:quote", args=[quote.pk])).content.decode()
    assert "Коммерческое предложение" in page and "Работа" in page and "100% предоплата" in page
    assert client.post(reverse("deals:quote_accept", args=[quote.pk])).status_code == 400
    assert client.post(reverse("deals:quote_send", args=[quote.pk])).status_code == 302
    assert len(mail.outbox) == 1
    client.post(reverse("deals:quote_accept", args=[quote.pk]), {"move_deal": "on"})
    assert Quote.objects.get(pk=quote.pk).status == "accepted"
    assert Deal.objects.get(pk=deal.pk).stage.name == "Contract"
    client.force_login(department.rep_south)
    assert client.get(reverse("deals:quote", args=[quote.pk])).status_code == 404
    assert client.get(reverse("deals:quote_pdf", args=[quote.pk])).status_code == 404
    assert client.post(reverse("deals:quote_send", args=[quote.pk])).status_code == 404


def test_bad_proposal_form_is_a_form_error(client, department, stages):
    deal = make_deal(department.rep_north)
    DealLine.objects.create(deal=deal, name="W", quantity=1, unit_price=10, net=10, gross=10)
    client.force_login(department.rep_north)
    for data in (
        {"language": "xx"},
        {"language": "en", "valid_until": "1999-01-01"},
        {"language": "en", "contact": "999999999999999999999"},
        {"language": "en", "valid_until": "99999-1-1"},
    ):
        response = client.post(reverse("deals:quote_create", args=[deal.pk]), data, **HTMX)
        assert response.status_code == 400, data
    assert not Quote.objects.exists()


def test_the_lines_and_proposals_panel_runs_a_constant_number_of_queries(
    client, department, stages, django_assert_num_queries
):
    deal = make_deal(department.rep_north)
    client.force_login(department.lead_north)
    for size in (2, 7):
        for position in range(deal.lines.count(), size):
            DealLine.objects.create(
                deal=deal,
                product=ProductFactory(),
                name=f"L{position}",
                quantity=1,
                unit_price=1,
                approval=ApprovalStatus.APPROVED,
                approved_by=department.lead_north,
            )
            Quote.objects.create(
                deal=deal,
                number=f"Q-T-{position}",
                version=position + 1,
                client_name="C",
                valid_until="2030-01-01",
                created_by=department.rep_north,
            )
        # the user, deal, lines, may change, quotes, lead's team, approvals, products, contacts
        with django_assert_num_queries(9):
            response = client.get(reverse("deals:commerce", args=[deal.pk]), **HTMX)
        assert response.status_code == 200
        body = response.content.decode()
        assert (body.count('<tr class="line-row"'), body.count(">Q-T-")) == (size, size)


def test_the_head_deactivates_and_reactivates_a_product_from_the_list(client, department):
    product = ProductFactory(name="Tablet")
    client.force_login(department.rep_north)
    assert (
        client.post(reverse("deals:product_active", args=[product.pk]), {"active": "false"}).status_code
        == 403
    )
    assert 'data-testid="product-toggle-' not in client.get(reverse("deals:products")).content.decode()
    client.force_login(department.head)
    page = client.get(reverse("deals:products")).content.decode()
    assert f'data-testid="product-toggle-{product.pk}">Deactivate<' in page
    response = client.post(
        reverse("deals:product_active", args=[product.pk]), {"active": "false"}, follow=True
    )
    assert "Product “Tablet” deactivated." in response.content.decode()
    assert Product.objects.get(pk=product.pk).is_active is False
    assert client.post(reverse("deals:product_active", args=[10**12]), {"active": "true"}).status_code == 404
    client.post(reverse("deals:product_active", args=[product.pk]), {"active": "true"})
    assert Product.objects.get(pk=product.pk).is_active is True


def test_a_proposal_without_an_email_offers_no_send_button_and_says_why(client, department, stages):
    deal = make_deal(department.rep_north, stage="Proposal")
    DealLine.objects.create(deal=deal, name="Work", quantity=1, unit_price=10, net=10, gross=10)
    client.force_login(department.rep_north)
    client.post(reverse("deals:quote_create", args=[deal.pk]), {"language": "en", "contact": ""}, **HTMX)
    quote = Quote.objects.get(deal=deal)
    page = client.get(reverse("deals:quote", args=[quote.pk])).content.decode()
    assert 'data-testid="quote-send"' not in page
    assert (
        "No contact with an e-mail address on this proposal: send the PDF yourself, "
        "or issue a new version for a contact with one."
    ) in page
    assert 'data-testid="quote-pdf"' in page


def test_a_line_name_too_long_says_only_that(client, department, stages):
    deal = make_deal(department.rep_north)
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:line_add", args=[deal.pk]),
        {"name": "x" * 400, "quantity": "1", "unit_price": "10"},
        **HTMX,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a product or name the line." not in body
    assert "Ensure this value has at most" in body
    assert not DealLine.objects.filter(deal=deal).exists()


def test_the_kept_product_rows_carry_each_browsers_own_token_and_show_a_change(department):
    """The products list keeps its rows (ListTable.cache_rows); the head's row forms carry a
    CSRF token, so each browser (each CSRF secret) keeps its own: a deactivation from a row
    read back from the kept rows passes the CSRF check, and shows on the list at once."""
    from django.test import Client as Browser

    from core import tables as core_tables

    core_tables._ROWS.clear()
    product = ProductFactory(name="Tablet")
    browsers = [Browser(enforce_csrf_checks=True), Browser(enforce_csrf_checks=True)]
    for browser in browsers:
        browser.force_login(department.head)

    def toggle_token(browser) -> str:
        page = browser.get(reverse("deals:products")).content.decode()
        row = page.split(f'data-testid="product-toggle-{product.pk}"', 1)[0].rsplit("<tr", 1)[1]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)

    first = toggle_token(browsers[0])
    assert toggle_token(browsers[0]) == first  # read back from the kept rows
    second = toggle_token(browsers[1])
    assert second != first
    response = browsers[1].post(
        reverse("deals:product_active", args=[product.pk]), {"active": "false", "csrfmiddlewaretoken": second}
    )
    assert response.status_code == 302
    page = browsers[0].get(reverse("deals:products")).content.decode()
    assert f'data-testid="product-toggle-{product.pk}">Activate<' in page


def test_product_rows_without_forms_are_kept_once_for_everyone(client, department):
    """A rep's rows carry no form: two reps' browsers read the same kept rows."""
    from django.test import Client as Browser

    from core import tables as core_tables

    core_tables._ROWS.clear()
    ProductFactory(name="Tablet")
    ProductFactory(name="Phone")
    for person in (department.rep_north, department.rep_south):
        browser = Browser()
        browser.force_login(person)
        page = browser.get(reverse("deals:products")).content.decode()
        assert ">Tablet<" in page and "product-toggle" not in page
    assert len(core_tables._ROWS) == 2
