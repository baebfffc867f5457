"""The issue's "Done when", in a real browser: rep1 creates a deal, drags it across the
kanban to Negotiation and adds two facts; lead1 sees it on the board under rep1 with the
facts and records a review from the board, which then shows on the deal page; moving to
Lost without a reason is refused with a clear message."""

import re

import pytest
from playwright.sync_api import expect

from deals.models import Deal, Fact, LostReason, Review, StageChange
from tests.browser.support import sign_in
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
    return {"team": team, "lead": lead, "rep": rep, "client": customer}


@pytest.mark.long
def test_done_when(live_server, browser, north, stages):  # noqa: F811
    base = live_server.url
    rep_context = browser.new_context(viewport={"width": 1400, "height": 950})
    rep_page = rep_context.new_page()
    rep_page.set_default_timeout(15_000)

    # rep1 creates a deal
    sign_in(rep_page, base, "rep1")
    rep_page.goto(f"{base}/deals/new/")
    rep_page.fill("#id_title", "Cold store automation")
    rep_page.select_option("#id_client", label="Polar Foods")
    rep_page.fill("#id_amount", "250000")
    rep_page.click("button[type=submit].primary")
    rep_page.wait_for_url(re.compile(r"/deals/\d+/$"))
    deal = Deal.objects.get(title="Cold store automation")
    expect(rep_page.get_by_test_id("deal-stage")).to_have_text("Lead")

    # ... drags it across the kanban to Negotiation
    rep_page.goto(f"{base}/deals/")
    card = rep_page.locator(f"#deal-card-{deal.pk}")
    expect(rep_page.get_by_test_id("column-lead").locator(f"#deal-card-{deal.pk}")).to_be_visible()
    card.drag_to(rep_page.get_by_test_id("column-proposal"))
    expect(rep_page.locator(".kanban-notice")).to_have_text("Moved “Cold store automation” to Proposal.")
    card = rep_page.locator(f"#deal-card-{deal.pk}")
    card.drag_to(rep_page.get_by_test_id("column-negotiation"))
    expect(rep_page.locator(".kanban-notice")).to_have_text("Moved “Cold store automation” to Negotiation.")
    expect(rep_page.get_by_test_id("column-negotiation").locator(f"#deal-card-{deal.pk}")).to_be_visible()
    assert list(
        StageChange.objects.filter(deal=deal).order_by("pk").values_list("from_stage__name", "to_stage__name")
    ) == [(None, "Lead"), ("Lead", "Proposal"), ("Proposal", "Negotiation")]

    # Lost without a reason is refused with a clear message, and nothing changes
    rep_page.locator(f"#deal-card-{deal.pk}").hover()
    rep_page.locator(f"#deal-card-{deal.pk}").get_by_role("link", name="✗ Lost").click()
    dialog = rep_page.locator("#lost-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close as lost").click()
    expect(rep_page.get_by_test_id("lost-error")).to_have_text(
        "Choose why the deal was lost: a deal cannot be closed as lost without a reason."
    )
    expect(rep_page.locator("#lost-dialog")).to_be_visible()
    rep_page.locator("#lost-dialog").get_by_role("button", name="Cancel").click()
    assert Deal.objects.get(pk=deal.pk).stage.name == "Negotiation"

    # ... adds two facts on the deal page
    rep_page.goto(f"{base}/deals/{deal.pk}/")
    for kind, text in [
        ("asked_price", "The director asked whether we can lower the price by 5%."),
        ("requested_contract", "Their buyer asked for a contract draft."),
    ]:
        rep_page.select_option("#fact-panel select[name=kind]", kind)
        rep_page.fill("#fact-panel textarea[name=text]", text)
        rep_page.click("#fact-panel button[type=submit]")
        expect(rep_page.locator("#deal-timeline")).to_contain_text(text)
    expect(rep_page.get_by_test_id("fact-count")).to_have_text("✔ 2 facts")
    assert Fact.objects.filter(deal=deal).count() == 2

    # Lost without a reason on the deal page: the same clear message
    rep_page.select_option("#id_move_stage", label="Lost")
    rep_page.click(".move-form button[type=submit]")
    expect(rep_page.get_by_test_id("move-errors")).to_contain_text(
        "a deal cannot be closed as lost without a reason"
    )
    assert Deal.objects.get(pk=deal.pk).stage.name == "Negotiation"
    rep_context.close()

    # lead1 sees it on the board under rep1, with the facts, and reviews it from the board
    lead_context = browser.new_context(viewport={"width": 1400, "height": 950})
    lead_page = lead_context.new_page()
    lead_page.set_default_timeout(15_000)
    sign_in(lead_page, base, "lead1")
    lead_page.goto(f"{base}/deals/board/")
    rep_card = lead_page.get_by_test_id("rep-card-rep1")
    expect(rep_card).to_contain_text("Anna Ivanova")
    expect(rep_card.get_by_test_id("proven-count")).to_have_text("1")
    expect(rep_card.get_by_test_id("warning-not_reviewed")).to_have_text("0")  # a new deal
    # every column of the header and of each person's row on one line, in its own place
    lines = lead_page.eval_on_selector_all(
        ".rep-cols",
        """rows => rows.map(row => new Set([...row.children].map(cell => {
            const box = cell.getBoundingClientRect();
            return Math.round(box.top + box.height / 2);  // the cells are centred on their line
        })).size)""",
    )
    assert lines and set(lines) == {1}, lines
    cramped = lead_page.eval_on_selector_all(
        ".rep-cols > span:not(.rep-name)",
        "cells => cells.filter(cell => cell.scrollWidth > cell.clientWidth + 1)"
        ".map(cell => cell.textContent)",
    )
    assert cramped == []  # no figure wider than its column, running into the next
    # no header breaks inside a word but at a syllable ("Unreviewed", Russian "Ощущения",
    # "просрочено" were cut at any letter): each piece between the soft hyphens the headers
    # carry (core/templatetags/hyphens.py), with its hyphen, fits its column
    broken_words = """headers => headers.flatMap(header => header.textContent.trim().split(/\\s+/)
        .flatMap(word => word.split("\\u00ad").map(piece => piece + "-"))
        .filter(piece => {
            const probe = document.createElement("span");
            probe.textContent = piece;
            probe.style.whiteSpace = "nowrap";
            header.appendChild(probe);
            const wide = probe.getBoundingClientRect().width > header.clientWidth + 0.5;
            probe.remove();
            return wide;
        }))"""
    assert lead_page.eval_on_selector_all(".board-cols > span", broken_words) == []
    lead_context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    lead_page.reload()
    expect(lead_page.get_by_test_id("rep-card-rep1")).to_contain_text("Anna Ivanova")
    assert lead_page.eval_on_selector_all(".board-cols > span", broken_words) == []
    headers = lead_page.locator(".board-cols > span").all_text_contents()
    assert "Ощу\u00adще\u00adния" in headers and "Ощущения" not in headers
    lead_context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    lead_page.reload()
    # the person's deals load when the row is opened
    expect(rep_card).not_to_contain_text("Their buyer asked for a contract draft.")
    rep_card.locator("summary").click()
    expect(rep_card).to_contain_text("Their buyer asked for a contract draft.")
    expect(rep_card).to_contain_text("The director asked whether we can lower the price by 5%.")
    rep_card.get_by_test_id(f"top-deal-{deal.pk}").click()
    panel = lead_page.get_by_test_id("board-panel")
    expect(panel).to_contain_text("2 facts")
    expect(panel).to_contain_text("Their buyer asked for a contract draft.")
    assert lead_page.url == f"{base}/deals/board/"  # read in place, not on another page
    panel.get_by_label("On track").check()
    panel.locator("textarea[name=comment]").fill(
        "Contract draft requested: a real fact. Push for the signature date."
    )
    panel.get_by_role("button", name="Record review").click()
    expect(lead_page.get_by_test_id("review-recorded")).to_have_text("Review recorded.")
    expect(lead_page.get_by_test_id("board-panel")).to_contain_text("Push for the signature date.")
    assert lead_page.url == f"{base}/deals/board/"
    expect(rep_card.get_by_test_id("proven-count")).to_have_text("1")  # the row, refreshed in place
    expect(rep_card).to_have_attribute("open", "")  # ... and still open
    review = Review.objects.get(deal=deal)
    assert (review.reviewer.username, review.verdict) == ("lead1", "on_track")

    # ... and the review shows on the deal page
    lead_page.goto(f"{base}/deals/{deal.pk}/")
    expect(lead_page.locator("#deal-timeline")).to_contain_text("Push for the signature date.")
    expect(lead_page.locator("#deal-timeline")).to_contain_text("On track")
    lead_context.close()


def test_a_card_someone_else_moved_meanwhile_stays_where_they_put_it(live_server, browser, north, stages):  # noqa: F811
    """rep1 has the kanban open; lead1 moves the deal to Negotiation from the deal page; rep1,
    still seeing it under Lead, drags it to Proposal: the move is refused (409) with what
    happened, the board shows the card where it is now, and the lead's move stands."""
    from deals import services
    from tests.deals.conftest import make_deal

    deal = make_deal(north["rep"], client=north["client"], title="Cold store automation")
    page = browser.new_context(viewport={"width": 1400, "height": 950}).new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server.url, "rep1")
    page.goto(f"{live_server.url}/deals/")
    card = page.locator(f"#deal-card-{deal.pk}")
    expect(page.get_by_test_id("column-lead").locator(f"#deal-card-{deal.pk}")).to_be_visible()

    services.deal_move(deal=deal, stage=stages["Negotiation"], by=north["lead"])
    card.drag_to(page.get_by_test_id("column-proposal"))
    expect(page.locator("#kanban-status [role=alert]")).to_have_text(
        "“Cold store automation” was moved to Negotiation meanwhile; look at it again."
    )
    expect(page.get_by_test_id("column-negotiation").locator(f"#deal-card-{deal.pk}")).to_be_visible()
    expect(page.get_by_test_id("column-proposal").locator(f"#deal-card-{deal.pk}")).to_have_count(0)
    deal.refresh_from_db()
    assert deal.stage == stages["Negotiation"]

    # The same through the card's stage select and its Won button: lead1 closes it as lost
    # while rep1 still sees it at Negotiation.
    reason, _ = LostReason.objects.get_or_create(name="Price")
    services.deal_move(deal=deal, stage=stages["Lost"], by=north["lead"], lost_reason=reason)
    card = page.locator(f"#deal-card-{deal.pk}")
    card.locator("select[name=stage]").focus()
    card.locator("select[name=stage]").select_option(label="Proposal")
    expect(page.locator("#kanban-status [role=alert]")).to_have_text(
        "“Cold store automation” was moved to Lost meanwhile; look at it again."
    )
    deal.refresh_from_db()
    assert deal.stage == stages["Lost"]
    assert list(
        StageChange.objects.filter(deal=deal).order_by("pk").values_list("from_stage__name", "to_stage__name")
    ) == [(None, "Lead"), ("Lead", "Negotiation"), ("Negotiation", "Lost")]

    # And its Won button: a second deal the lead closes as lost while the card shows Proposal.
    second = make_deal(north["rep"], client=north["client"], title="Freezer line", stage="Proposal")
    page.reload()
    won = page.locator(f"#deal-card-{second.pk}").get_by_role("button", name="✓ Won")
    services.deal_move(deal=second, stage=stages["Lost"], by=north["lead"], lost_reason=reason)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#deal-card-{second.pk}").hover()
    won.click()
    expect(page.locator("#kanban-status [role=alert]")).to_have_text(
        "“Freezer line” was moved to Lost meanwhile; look at it again."
    )
    assert Deal.objects.get(pk=second.pk).stage == stages["Lost"]
    page.context.close()
