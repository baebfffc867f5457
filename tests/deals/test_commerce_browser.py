"""Issue 13 in a real browser: a rep builds a deal from three products with a discount
within the limit, issues a proposal in Russian and one in Chinese, downloads both PDFs
(their text has the client, the lines and the totals, Cyrillic and Chinese intact), sends
one (the e-mail with the PDF is in the outbox, an e-mail activity is logged) and records
that the client accepted (the deal moves to Contract)."""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from clients.models import Activity
from deals.models import Deal, Quote
from tests.browser.support import sign_in
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory, ContactFactory, ProductFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_words(path) -> str:
    with open(path, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_rep_quotes_a_deal_in_russian_and_chinese_sends_and_wins_acceptance(live_server, browser, stages):
    team = TeamFactory(name="Team North")
    rep = UserFactory(
        username="rep1", first_name="Anna", last_name="Ivanova", role="rep", team=team, password="demo"
    )
    customer = ClientFactory(owner=rep, name="ООО «Полярные продукты» 极地食品")
    ContactFactory(client=customer, name="Иван Петров", email="ivan@polar.example")
    deal = make_deal(rep, client=customer, stage="Proposal", title="Холодильный склад")
    ProductFactory(code="LIC", name="Лицензия CRM", list_price=Decimal("480.00"), max_discount_percent=10)
    ProductFactory(code="IMPL", name="实施服务", list_price=Decimal("650.00"), max_discount_percent=10)
    ProductFactory(
        code="TRN", name="Training", list_price=Decimal("1200.00"), tax_rate=0, max_discount_percent=10
    )
    base = live_server.url
    context = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, base, "rep1")
    page.goto(f"{base}/deals/{deal.pk}/")

    # three products, one with a discount within its limit
    for count, (label, quantity, discount) in enumerate(
        (("LIC · Лицензия CRM", "10", "10"), ("IMPL · 实施服务", "3", "0"), ("TRN · Training", "1", "0")),
        start=1,
    ):
        form = page.get_by_test_id("line-add-form")
        form.locator("select[name=product]").select_option(label=label)
        form.locator("input[name=quantity]").fill(quantity)
        form.locator("input[name=discount_percent]").fill(discount)
        form.get_by_role("button", name="Add line").click()
        expect(page.locator("tr.line-row")).to_have_count(count)
        expect(page.get_by_test_id("commerce-notice")).to_have_text("Line added.")
    # 10 × 480 − 10 % = 4320.00 (+864.00); 3 × 650 = 1950.00 (+390.00); 1200.00 (no tax)
    expect(page.get_by_test_id("lines-net")).to_have_text("7,470.00\xa0₽")
    expect(page.get_by_test_id("lines-gross")).to_have_text("8,724.00\xa0₽")
    expect(page.locator("#deal-amount")).to_have_text("7,470.00\xa0₽")
    assert Deal.objects.get(pk=deal.pk).amount == Decimal("7470.00")

    # a proposal in Russian and one in Chinese
    for language in ("ru", "zh-hans"):
        form = page.get_by_test_id("quote-form")
        form.locator("select[name=language]").select_option(language)
        form.locator("select[name=contact]").select_option(label="Иван Петров")
        form.locator("textarea[name=payment_terms]").fill("50 / 50")
        form.get_by_role("button", name="Issue proposal").click()
        expect(page.get_by_test_id("quote-list").locator("li")).to_have_count(1 if language == "ru" else 2)
    ru, zh = Quote.objects.filter(deal=deal).order_by("version")
    expected = {
        ru.pk: [
            "Коммерческое предложение",
            "ООО «Полярные продукты» 极地食品",
            "Лицензия CRM",
            "实施服务",
            "Training",
            "Итого 8 724,00",
            "7 470,00",
        ],
        zh.pk: [
            "商业报价",
            "ООО «Полярные продукты» 极地食品",
            "Лицензия CRM",
            "实施服务",
            "合计 8,724.00",
            "7,470.00",
        ],
    }
    for quote in (ru, zh):
        with page.expect_download() as download:
            page.locator(f'a[href="/deals/quotes/{quote.pk}/pdf/"]').click()
        text = pdf_words(download.value.path()).replace("\xa0", " ")
        for fragment in expected[quote.pk]:
            assert fragment in text, (quote.language, fragment, text)

    # send the Russian one: mail with the PDF, an e-mail activity; the client accepts
    page.goto(f"{base}/deals/quotes/{ru.pk}/")
    expect(page.get_by_test_id("quote-document")).to_contain_text("Лицензия CRM")
    page.get_by_test_id("quote-send").click()
    expect(page.get_by_test_id("quote-status")).to_have_text("Sent")
    (message,) = mail.outbox
    assert message.to == ["ivan@polar.example"]
    assert message.attachments[0][0] == f"{ru.number}-v1.pdf"
    assert Activity.objects.filter(deal=deal, kind="email", outcome__contains=ru.number).count() == 1
    page.get_by_test_id("quote-accept").click()
    expect(page.get_by_test_id("quote-status")).to_have_text("Accepted")
    assert Deal.objects.get(pk=deal.pk).stage.name == "Contract"
    page.goto(f"{base}/deals/{deal.pk}/")
    expect(page.get_by_test_id("deal-stage")).to_have_text("Contract")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/products-deal-390.png", full_page=True)
    page.goto(f"{base}/deals/quotes/{ru.pk}/")
    page.screenshot(path="/tmp/products-quote-390.png", full_page=True)
    assert re.search(r"Q-\d{4}-\d{4}", ru.number)
    context.close()
