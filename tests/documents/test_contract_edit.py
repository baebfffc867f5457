"""The contract's edit page: a save writes what its user changed, and keeps what a colleague
changed meanwhile; the same field changed by both is a 409 showing the form again."""

import datetime
from decimal import Decimal

import pytest

from documents.models import Contract
from tests.documents.conftest import make_contract
from tests.pages import opened_by, posted_form

pytestmark = pytest.mark.django_db


def test_two_people_editing_one_contract(department, north_deal):
    contract = make_contract(north_deal, amount=Decimal("5000.00"), special_clauses="")
    url = f"/documents/contracts/{contract.pk}/edit/"
    rep, rep_page = opened_by(department.rep_north, url)
    lead, lead_page = opened_by(department.lead_north, url)
    assert rep.post(url, posted_form(rep_page, "contract-form", amount="5500.00")).status_code == 302
    answer = lead.post(url, posted_form(lead_page, "contract-form", special_clauses="Payment in 30 days."))
    assert answer.status_code == 302
    contract.refresh_from_db()
    assert (contract.amount, contract.special_clauses) == (Decimal("5500.00"), "Payment in 30 days.")
    stale = lead.post(url, posted_form(lead_page, "contract-form", amount="4000.00"))
    assert stale.status_code == 409
    assert "Someone else changed “" in stale.content.decode()
    assert Contract.objects.get(pk=contract.pk).amount == Decimal("5500.00")
    # saved again from the form it shows, the lead's amount goes over the rep's
    form = posted_form(stale.content.decode(), "contract-form")
    assert form["amount"] == "4000.00"
    assert lead.post(url, form).status_code == 302
    assert Contract.objects.get(pk=contract.pk).amount == Decimal("4000.00")


def test_the_term_reads_without_brackets_when_it_has_no_dates(department, north_deal):
    from django.test import Client as Browser

    bare = make_contract(north_deal, term_months=24)
    dated = make_contract(north_deal, term_months=12, start_date=datetime.date(2027, 1, 1))
    browser = Browser()
    browser.force_login(department.rep_north)
    bare_page = browser.get(f"/documents/contracts/{bare.pk}/").content.decode()
    dated_page = browser.get(f"/documents/contracts/{dated.pk}/").content.decode()
    assert "<dt>Term</dt><dd>24 months</dd>" in bare_page
    assert "<dt>Term</dt><dd>1 Jan 2027 – … (12 months)</dd>" in dated_page
