"""Every home shows its charts: won against plan and calls against norm per line, and the
weighted pipeline by stage and the receivables by days late of what the home covers."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.deals.conftest import make_deal
from tests.factories import DealFactory, InstallmentFactory, PaymentFactory, stage

pytestmark = pytest.mark.django_db


def chart_titles(page: str) -> list[str]:
    return re.findall(r'<(?:svg|figure)[^>]*aria-label="([^"]+)"', page)


@pytest.mark.parametrize(
    "viewer",
    ["head", "lead_north", "rep_north", "assistant_north", "analyst", "sdr_north", "account_manager_south"],
)
def test_every_home_shows_its_charts(client, department, viewer):
    make_deal(department.rep_north, stage="Proposal", amount="10000.00")
    client.force_login(getattr(department, viewer))
    page = client.get(reverse("home"))
    assert page.status_code == 200
    assert chart_titles(page.content.decode()) == [
        "Won this month against the plan",
        "Calls today against the norm",
        "Weighted pipeline by stage",
        "Receivables by days late",
    ]
    # and the year by month: plan, booked, collected and forecast of what the home covers
    assert 'data-testid="pva-chart"' in page.content.decode()


def test_the_pipeline_chart_shows_what_the_home_covers(client, department):
    make_deal(department.rep_north, stage="Proposal", amount="10000.00")  # 40%: 4,000
    make_deal(department.rep_south, stage="Proposal", amount="50000.00")
    client.force_login(department.rep_north)
    own = client.get(reverse("home")).content.decode()
    assert 'title="Proposal: 4K\xa0₽"' in own
    client.force_login(department.head)
    everything = client.get(reverse("home")).content.decode()
    assert 'title="Proposal: 24K\xa0₽"' in everything


def aging_bars(page: str) -> list[str]:
    chart = page[page.index('data-testid="aging-chart"') :]
    chart = chart[: chart.index("</figure>")]
    return re.findall(r'<div class="chart-bar[^"]*" title="([^"]*)">', chart)


def won_deal(owner):
    return DealFactory(owner=owner, client__owner=owner, amount=Decimal("100000.00"), stage=stage("Won"))


def installment_of(deal, *, amount, due_date, paid=None):
    line = InstallmentFactory(deal=deal, amount=Decimal(amount), due_date=due_date)
    if paid:
        PaymentFactory(installment=line, amount=Decimal(paid), paid_on=timezone.localdate())


def test_the_aging_chart_sums_what_the_home_covers_by_days_late(client, department):
    today = timezone.localdate()
    north = won_deal(department.rep_north)
    installment_of(north, amount="12000.00", due_date=today + datetime.timedelta(days=10))
    installment_of(north, amount="5000.00", due_date=today - datetime.timedelta(days=3), paid="1500.00")
    installment_of(north, amount="2500.00", due_date=today - datetime.timedelta(days=45))
    installment_of(north, amount="800.00", due_date=today - datetime.timedelta(days=120))
    installment_of(north, amount="900.00", due_date=today - datetime.timedelta(days=70), paid="900.00")
    south = won_deal(department.rep_south)
    installment_of(south, amount="40000.00", due_date=today - datetime.timedelta(days=75))
    client.force_login(department.rep_north)
    assert aging_bars(client.get(reverse("home")).content.decode()) == [
        "Not yet due: 12K\xa0₽",
        "1–30 days late: 3.5K\xa0₽",
        "31–60 days late: 2.5K\xa0₽",
        "61–90 days late: 0.00\xa0₽",
        "Over 90 days late: 800.00\xa0₽",
    ]
    client.force_login(department.head)
    assert aging_bars(client.get(reverse("home")).content.decode()) == [
        "Not yet due: 12K\xa0₽",
        "1–30 days late: 3.5K\xa0₽",
        "31–60 days late: 2.5K\xa0₽",
        "61–90 days late: 40K\xa0₽",
        "Over 90 days late: 800.00\xa0₽",
    ]
