"""A rep and their lead editing one deal: each save writes only what its user changed (the
lead's close date does not put back the amount the rep just corrected); the same field
changed by both is a 409 showing the lead's input over the deal as it is now."""

import datetime
from decimal import Decimal

import pytest

from tests.deals.conftest import make_deal
from tests.pages import opened_by, posted_form

pytestmark = pytest.mark.django_db


def opened(user, deal):
    return opened_by(user, f"/deals/{deal.pk}/edit/")


def test_the_leads_save_keeps_the_amount_the_rep_corrected_meanwhile(department, stages):
    deal = make_deal(department.rep_north, amount="100000.00", title="Cold store")
    rep, rep_page = opened(department.rep_north, deal)
    lead, lead_page = opened(department.lead_north, deal)
    assert (
        rep.post(f"/deals/{deal.pk}/edit/", posted_form(rep_page, "deal-form", amount="125000")).status_code
        == 302
    )
    answer = lead.post(
        f"/deals/{deal.pk}/edit/", posted_form(lead_page, "deal-form", expected_close="2027-03-31")
    )
    assert answer.status_code == 302
    deal.refresh_from_db()
    assert (deal.amount, deal.expected_close) == (Decimal("125000.00"), datetime.date(2027, 3, 31))


def test_the_same_field_changed_by_both_is_a_409_and_nothing_is_written(department, stages):
    deal = make_deal(department.rep_north, amount="100000.00", title="Cold store")
    rep, rep_page = opened(department.rep_north, deal)
    lead, lead_page = opened(department.lead_north, deal)
    rep.post(f"/deals/{deal.pk}/edit/", posted_form(rep_page, "deal-form", amount="125000"))
    answer = lead.post(
        f"/deals/{deal.pk}/edit/",
        posted_form(lead_page, "deal-form", amount="90000", title="Cold store 2027"),
    )
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "Someone else changed “Amount” after you opened this page." in page
    deal.refresh_from_db()
    assert (deal.amount, deal.title) == (Decimal("125000.00"), "Cold store")
    form = posted_form(page, "deal-form")
    assert (form["amount"], form["title"], form["initial-amount"]) == (
        "90000",
        "Cold store 2027",
        "125000.00",
    )
    assert lead.post(f"/deals/{deal.pk}/edit/", form).status_code == 302
    deal.refresh_from_db()
    assert (deal.amount, deal.title) == (Decimal("90000.00"), "Cold store 2027")
