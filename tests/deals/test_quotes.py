"""Commercial proposals: numbering, snapshots, the PDF in Russian and Chinese, sending,
accepting (the deal moves to Contract), rejecting and the nightly expiry."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from clients.models import Activity, ActivityKind
from deals import quote_pdf as quote_pdf_module
from deals import services
from deals.models import Quote, QuoteStatus
from deals.quote_pdf import quote_pdf
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory, ContactFactory, ProductFactory

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def priced_deal(department, stages):
    client = ClientFactory(owner=department.rep_north, name="ООО «Ромашка» 北京公司")
    deal = make_deal(department.rep_north, client=client, stage="Proposal")
    rep = department.rep_north
    services.deal_line_add(
        by=rep,
        deal=deal,
        product=ProductFactory(name="Лицензия CRM", list_price=Decimal("1234.50")),
        quantity=2,
    )
    services.deal_line_add(
        by=rep,
        deal=deal,
        product=ProductFactory(name="实施服务", list_price=Decimal("1000")),
        quantity=3,
        discount_percent=Decimal("5"),
    )
    services.deal_line_add(by=rep, deal=deal, name="Обучение", quantity=1, unit_price="500", tax_rate="0")
    return deal


def test_a_proposal_is_numbered_per_year_versioned_per_deal_and_a_snapshot(department, priced_deal):
    contact = ContactFactory(client=priced_deal.client, email="buyer@example.com")
    first = services.quote_create(by=department.rep_north, deal=priced_deal, language="ru", contact=contact)
    second = services.quote_create(by=department.rep_north, deal=priced_deal, language="zh-hans")
    year = timezone.localdate().year
    assert (first.number, first.version, second.number, second.version) == (
        f"Q-{year}-0001",
        1,
        f"Q-{year}-0002",
        2,
    )
    # 2 × 1234.50 = 2469.00 (+20 % 493.80); 3 × 1000 − 5 % = 2850.00 (+570.00); 500.00 (no tax)
    assert (first.net, first.tax, first.gross) == (Decimal("5819.00"), Decimal("1063.80"), Decimal("6882.80"))
    assert [line.name for line in first.lines.all()] == ["Лицензия CRM", "实施服务", "Обучение"]
    line = priced_deal.lines.get(name="Обучение")
    services.deal_line_update(by=department.rep_north, line=line, data={"quantity": Decimal("2")})
    assert first.lines.get(name="Обучение").quantity == Decimal("1")
    assert Quote.objects.get(pk=first.pk).net == Decimal("5819.00")


def test_no_proposal_while_a_discount_awaits_approval_or_without_lines(department, stages):
    deal = make_deal(department.rep_north)
    with pytest.raises(ValidationError) as error:
        services.quote_create(by=department.rep_north, deal=deal)
    assert error.value.messages == ["Add lines to the deal before issuing a proposal."]
    services.deal_line_add(
        by=department.rep_north, deal=deal, product=ProductFactory(), quantity=1, discount_percent=50
    )
    with pytest.raises(ValidationError):
        services.quote_create(by=department.rep_north, deal=deal)
    assert Quote.objects.count() == 0


def test_bad_proposal_fields_are_refused(department, priced_deal):
    stranger = ContactFactory()
    with pytest.raises(ValidationError) as error:
        services.quote_create(
            by=department.rep_north,
            deal=priced_deal,
            language="de",
            contact=stranger,
            valid_until=datetime.date(2000, 1, 1),
            payment_terms="x" * 2001,
        )
    assert set(error.value.message_dict) == {"language", "contact", "valid_until", "payment_terms"}
    assert Quote.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "ru",
            [
                "Коммерческое предложение",
                "ООО «Ромашка» 北京公司",
                "Лицензия CRM",
                "实施服务",
                "Обучение",
                "6 882,80",
                "5 819,00",
                "Итого",
            ],
        ),
        (
            "zh-hans",
            [
                "商业报价",
                "ООО «Ромашка» 北京公司",
                "Лицензия CRM",
                "实施服务",
                "6,882.80",
                "5,819.00",
                "税前合计",
                "合计",
            ],
        ),
    ],
)
def test_the_pdf_has_the_client_lines_and_totals_in_the_proposal_language(
    department, priced_deal, language, expected
):
    quote = services.quote_create(by=department.rep_north, deal=priced_deal, language=language)
    # words a table cell wraps come out on two lines: compare with the spaces made single
    text = " ".join(pdf_text(quote_pdf(quote)).split())
    for fragment in expected:
        assert fragment in text, (fragment, text)


def test_one_pdf_is_drawn_at_a_time_in_a_threaded_web_process(department, priced_deal, monkeypatch):
    """The web process serves from threads; WeasyPrint draws one proposal at a time in it."""
    import threading
    import time

    weasyprint = pytest.importorskip("weasyprint")
    quote = services.quote_create(by=department.rep_north, deal=priced_deal, language="en")
    drawing, most = [0], [0]
    count = threading.Lock()

    def write_pdf(self, *args, **kwargs):
        with count:
            drawing[0] += 1
            most[0] = max(most[0], drawing[0])
        time.sleep(0.05)
        with count:
            drawing[0] -= 1
        return b"%PDF-1.7"

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    context = quote_pdf_module.quote_context(quote)  # read here: the threads have no test database
    monkeypatch.setattr(quote_pdf_module, "quote_context", lambda quote: context)
    results = []
    threads = [threading.Thread(target=lambda: results.append(quote_pdf(quote))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == [b"%PDF-1.7"] * 4
    assert most[0] == 1


def test_sending_mails_the_pdf_and_logs_an_email_activity(department, priced_deal):
    contact = ContactFactory(client=priced_deal.client, email="buyer@example.com", name="Иван")
    quote = services.quote_create(by=department.rep_north, deal=priced_deal, language="ru", contact=contact)
    services.quote_send(by=department.rep_north, quote=quote)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT and quote.sent_at is not None
    (message,) = mail.outbox
    assert message.to == ["buyer@example.com"]
    assert quote.number in message.subject
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"{quote.number}-v1.pdf", "application/pdf")
    assert "Лицензия CRM" in " ".join(pdf_text(content).split())
    activity = Activity.objects.get(deal=priced_deal)
    assert (activity.kind, activity.contact, activity.owner) == (
        ActivityKind.EMAIL,
        contact,
        department.rep_north,
    )
    assert quote.number in activity.outcome


def test_a_proposal_without_an_email_is_not_sent_and_nothing_is_recorded(department, priced_deal):
    quote = services.quote_create(by=department.rep_north, deal=priced_deal)
    with pytest.raises(ValidationError):
        services.quote_send(by=department.rep_north, quote=quote)
    assert (Quote.objects.get(pk=quote.pk).status, len(mail.outbox), Activity.objects.count()) == (
        "draft",
        0,
        0,
    )


def test_accepting_moves_the_deal_to_contract_and_only_a_sent_proposal_is_decided(department, priced_deal):
    contact = ContactFactory(client=priced_deal.client, email="buyer@example.com")
    quote = services.quote_create(by=department.rep_north, deal=priced_deal, contact=contact)
    with pytest.raises(ValidationError):
        services.quote_accept(by=department.rep_north, quote=quote)
    services.quote_send(by=department.rep_north, quote=quote)
    services.quote_accept(by=department.rep_north, quote=quote, move_deal=True)
    priced_deal.refresh_from_db()
    assert (Quote.objects.get(pk=quote.pk).status, priced_deal.stage.name) == ("accepted", "Contract")
    with pytest.raises(ValidationError):
        services.quote_reject(by=department.rep_north, quote=quote)


def test_the_nightly_run_expires_sent_proposals_past_their_validity(department, priced_deal):
    contact = ContactFactory(client=priced_deal.client, email="buyer@example.com")
    today = timezone.localdate()
    sent = services.quote_create(by=department.rep_north, deal=priced_deal, contact=contact)
    services.quote_send(by=department.rep_north, quote=sent)
    draft = services.quote_create(by=department.rep_north, deal=priced_deal)
    Quote.objects.update(valid_until=today - datetime.timedelta(days=1))
    assert services.quotes_expire(today=today) == 1
    assert services.quotes_expire(today=today) == 0
    assert (Quote.objects.get(pk=sent.pk).status, Quote.objects.get(pk=draft.pk).status) == (
        "expired",
        "draft",
    )


def test_the_nightly_task_expires_proposals_before_queueing_the_reports(department, priced_deal, monkeypatch):
    from reports import tasks

    contact = ContactFactory(client=priced_deal.client, email="buyer@example.com")
    quote = services.quote_create(by=department.rep_north, deal=priced_deal, contact=contact)
    services.quote_send(by=department.rep_north, quote=quote)
    Quote.objects.update(valid_until=datetime.date(2026, 3, 1))
    monkeypatch.setattr(tasks, "report_runs_queue", lambda **kwargs: [])
    tasks.run_nightly.apply(args=["2026-03-02"])
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.EXPIRED


def test_the_demo_catalogue_prices_lines_with_the_one_rule(department, stages):
    import random

    from deals.pricing import line_totals
    from demo.deals import catalogue

    deals = [make_deal(department.rep_north) for _ in range(12)]
    products = catalogue.seed(rng=random.Random(13))
    assert len(products) == 10
    lined = [deal for deal in deals if deal.lines.exists()]
    assert lined
    for deal in lined:
        deal.refresh_from_db()
        lines = list(deal.lines.all())
        assert deal.amount == sum(line.net for line in lines)
        for line in lines:
            expected = line_totals(
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                tax_rate=line.tax_rate,
            )
            assert (line.net, line.tax, line.gross) == (expected.net, expected.tax, expected.gross)
            assert line.discount_percent <= line.product.max_discount_percent
