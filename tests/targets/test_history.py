"""The history tabs of an installment and a payment: everyone who may see the record sees
who changed what, when, old → new, by the fields' names; paginated in constant queries;
hidden records are 404."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.history import HISTORY_PAGE_SIZE
from targets import services

pytestmark = pytest.mark.django_db


def entries(page: str) -> list[str]:
    return re.findall(r'data-testid="history-entry">(.*?)</li>', page, re.S)


def rows(entry: str) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", entry)


@pytest.fixture
def changed(department, won_deal, installment_of):
    """An installment of 1,500.00 due 15 Jan 2027, part paid by the assistant, then moved
    to 16 Feb 2027 by the lead."""
    deal = won_deal(department.rep_north, amount="1500.00", title="Schedule deal")
    line = installment_of(deal, amount="1500.00", due_date=datetime.date(2027, 1, 15))
    payment = services.payment_record(
        actor=department.assistant_north, installment=line, amount="400.00", paid_on=timezone.localdate()
    )
    moved_to = datetime.date(2027, 2, 16)
    services.installment_update(actor=department.lead_north, installment=line, due_date=moved_to)
    return line, payment


@pytest.mark.parametrize("viewer", ["lead_north", "rep_north", "assistant_north", "head", "analyst"])
def test_everyone_who_sees_the_installment_sees_its_history(client, department, changed, viewer):
    line, _payment = changed
    client.force_login(getattr(department, viewer))
    schedule = client.get(reverse("targets:deal_schedule", args=[line.deal_id])).content.decode()
    assert f'href="{reverse("targets:installment_history", args=[line.pk])}"' in schedule
    page = client.get(reverse("targets:installment_history", args=[line.pk]))
    assert page.status_code == 200
    found = entries(page.content.decode())
    assert len(found) == 3
    moved, paid, created = found
    assert rows(moved) == [("Due date", "15 Jan 2027", "16 Feb 2027")]
    assert department.lead_north.full_name in moved and "changed" in moved
    assert rows(paid) == [("Paid", "0.00\xa0₽", "400.00\xa0₽")]
    assert department.assistant_north.full_name in paid
    assert ("Amount", "—", "1,500.00\xa0₽") in rows(created)
    assert ("Due date", "—", "15 Jan 2027") in rows(created)
    assert "created" in created


def test_the_payment_history_shows_who_recorded_and_voided_it(client, department, changed):
    line, payment = changed
    services.payment_void(actor=department.lead_north, payment=payment, reason="Bounced")
    client.force_login(department.assistant_north)
    schedule = client.get(reverse("targets:deal_schedule", args=[line.deal_id])).content.decode()
    assert f'href="{reverse("targets:payment_history", args=[payment.pk])}"' in schedule
    page = client.get(reverse("targets:payment_history", args=[payment.pk])).content.decode()
    voided, recorded = entries(page)
    voided_rows = {label: (old, new) for label, old, new in rows(voided)}
    assert voided_rows["Voided by"] == ("—", department.lead_north.full_name)
    assert voided_rows["Reason for voiding"] == ("—", "Bounced")
    recorded_rows = {label: (old, new) for label, old, new in rows(recorded)}
    assert recorded_rows["Amount"] == ("—", "400.00\xa0₽")
    # The installment is named as it is now (moved to 16 Feb by the lead).
    assert recorded_rows["Installment"] == ("—", "16 Feb 2027 · 1,500.00\xa0₽")
    assert recorded_rows["Recorded by"] == ("—", department.assistant_north.full_name)
    assert recorded_rows["Recorded as overpayment"] == ("—", "No")
    installment_page = client.get(reverse("targets:installment_history", args=[line.pk])).content.decode()
    assert rows(entries(installment_page)[0]) == [("Paid", "400.00\xa0₽", "0.00\xa0₽")]


def test_hidden_records_have_no_history_page(client, department, changed):
    line, payment = changed
    client.force_login(department.rep_south)
    assert client.get(reverse("targets:installment_history", args=[line.pk])).status_code == 404
    assert client.get(reverse("targets:payment_history", args=[payment.pk])).status_code == 404
    assert client.get(reverse("targets:installment_history", args=[999999999])).status_code == 404


def test_installment_history_is_paginated_in_constant_queries(
    client, department, changed, django_assert_num_queries
):
    line, _payment = changed
    client.force_login(department.lead_north)
    url = reverse("targets:installment_history", args=[line.pk])
    # the user, installment with its deal and client, count, records, the deal's title
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    for number in range(HISTORY_PAGE_SIZE + 5):
        services.installment_update(actor=department.lead_north, installment=line, note=f"Note {number}")
    with django_assert_num_queries(5):
        first = client.get(url).content.decode()
    assert len(entries(first)) == HISTORY_PAGE_SIZE
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert len(entries(second)) == 3 + 5
    assert client.get(url, {"page": "garbage"}).status_code == 200
