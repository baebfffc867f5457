"""The issue's contract review in a real browser: rep1 drafts a contract for a deal and
submits it; lead1 sees it awaiting review on the home page and returns it with a comment;
rep1 changes it and submits version 2; lead1 approves it; rep1 attaches the signed scan,
marks the contract signed and wins the deal (no warning: the contract is signed)."""

import re

import pytest
from playwright.sync_api import expect

from deals.models import Deal
from documents.models import Attachment, Contract
from tests.browser.support import sign_in
from tests.deals.conftest import make_deal
from tests.documents.conftest import PDF
from tests.factories import ClientFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def north(stages):
    team = TeamFactory(name="Team North")
    lead = UserFactory(
        username="lead1", first_name="Elena", last_name="Sokolova", role="lead", team=team, password="demo"
    )
    team.lead = lead
    team.save()
    rep = UserFactory(
        username="rep1", first_name="Anna", last_name="Ivanova", role="rep", team=team, password="demo"
    )
    customer = ClientFactory(owner=rep, name="Polar Foods")
    deal = make_deal(
        rep, client=customer, stage="Contract", amount="250000.00", title="Cold store automation"
    )
    return {"lead": lead, "rep": rep, "deal": deal}


def new_page(browser, width=1400):
    context = browser.new_context(viewport={"width": width, "height": 950})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.long
def test_contract_review_to_a_won_deal(live_server, browser, north, stages, tmp_path):  # noqa: F811
    base = live_server.url
    deal = north["deal"]
    rep_context, rep = new_page(browser)

    # rep1 drafts the contract from the deal page and submits it
    sign_in(rep, base, "rep1")
    rep.goto(f"{base}/deals/{deal.pk}/")
    rep.get_by_test_id("new-contract").click()
    rep.wait_for_url(re.compile(r"/documents/contracts/new/"))
    expect(rep.locator("#id_amount")).to_have_value("250000.00")
    rep.fill("#id_number", "PF-2026-01")
    rep.fill("#id_term_months", "12")
    rep.fill("#id_special_clauses", "Penalty 1% a day of delay.")
    rep.click("button[type=submit].primary")
    rep.wait_for_url(re.compile(r"/documents/contracts/\d+/$"))
    contract = Contract.objects.get(number="PF-2026-01")
    expect(rep.get_by_test_id("contract-status")).to_have_text("Draft")
    rep.get_by_test_id("submit-contract").click()
    expect(rep.get_by_test_id("contract-status")).to_have_text("Submitted for review")

    # lead1 finds it awaiting review on the home page and returns it with a comment
    lead_context, lead = new_page(browser)
    sign_in(lead, base, "lead1")
    panel = lead.get_by_test_id("contracts-awaiting-review")
    expect(panel).to_contain_text("PF-2026-01")
    panel.get_by_role("link", name="PF-2026-01").click()
    lead.wait_for_url(f"{base}/documents/contracts/{contract.pk}/")
    lead.fill("#id_return-comment", "The penalty is too high: 0.1% a day.")
    lead.get_by_test_id("return-contract").click()
    expect(lead.get_by_test_id("contract-status")).to_have_text("Returned for changes")

    # rep1 reads the comment, changes the clause, submits version 2
    rep.goto(f"{base}/documents/contracts/{contract.pk}/")
    expect(rep.get_by_test_id("review-comment")).to_contain_text("The penalty is too high: 0.1% a day.")
    rep.get_by_role("link", name="Edit").click()
    rep.fill("#id_special_clauses", "Penalty 0.1% a day of delay.")
    rep.click("button[type=submit].primary")
    rep.wait_for_url(f"{base}/documents/contracts/{contract.pk}/")
    rep.get_by_test_id("submit-contract").click()
    expect(rep.get_by_test_id("contract-status")).to_have_text("Submitted for review")
    expect(rep.get_by_test_id("contract-version")).to_have_text("version 2")

    # lead1 approves the second version
    lead.goto(f"{base}/documents/contracts/{contract.pk}/")
    expect(lead.get_by_test_id("special-clauses")).to_contain_text("Penalty 0.1% a day of delay.")
    lead.get_by_test_id("approve-contract").click()
    expect(lead.get_by_test_id("contract-status")).to_have_text("Approved")
    lead.screenshot(path=str(tmp_path / "contract-approved-desktop.png"), full_page=True)
    lead_context.close()

    # rep1 attaches the signed scan and marks the contract signed
    rep.goto(f"{base}/documents/contracts/{contract.pk}/")
    expect(rep.get_by_test_id("sign-needs-scan")).to_be_visible()
    scan = tmp_path / "signed scan.pdf"
    scan.write_bytes(PDF)
    rep.set_input_files(f"#id_file_contract_{contract.pk}", str(scan))
    rep.get_by_role("button", name="Upload").click()
    expect(rep.get_by_test_id("sign-contract")).to_be_visible()  # the page reloads with the file
    expect(rep.get_by_test_id("attachment")).to_contain_text("signed scan.pdf")
    rep.get_by_test_id("sign-contract").click()
    expect(rep.get_by_test_id("contract-status")).to_have_text("Signed")
    contract.refresh_from_db()
    assert contract.signed_scan == Attachment.objects.get(contract=contract)

    # ... and wins the deal: no warning, the contract is signed
    rep.goto(f"{base}/deals/{deal.pk}/")
    expect(rep.get_by_test_id("deal-contract")).to_contain_text("Signed")
    rep.select_option("#id_move_stage", label="Won")
    rep.click(".move-form button[type=submit]")
    expect(rep.get_by_test_id("deal-stage")).to_have_text("Won")
    expect(rep.locator(".messages")).to_have_text("Moved to Won.")
    assert Deal.objects.get(pk=deal.pk).stage.kind == "won"
    steps = list(
        contract.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", flat=True
        )
    )
    assert steps == [
        "Drafted",
        "Submitted version 1",
        "Returned",
        "Changed",
        "Submitted version 2",
        "Approved",
        "Signed",
    ]

    # the contract page holds at 390 px (no sideways scrolling)
    rep_context.close()
    phone_context, phone = new_page(browser, width=390)
    sign_in(phone, base, "rep1")
    phone.goto(f"{base}/documents/contracts/{contract.pk}/")
    expect(phone.get_by_test_id("contract-status")).to_have_text("Signed")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, wide
    phone.screenshot(path=str(tmp_path / "contract-390.png"), full_page=True)
    phone_context.close()
