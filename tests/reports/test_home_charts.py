"""Every home shows its charts: won against plan and calls against norm per line, and the
weighted pipeline by stage of what the home covers."""

import re

import pytest
from django.urls import reverse

from tests.deals.conftest import make_deal

pytestmark = pytest.mark.django_db


def chart_titles(page: str) -> list[str]:
    return re.findall(r'<svg[^>]*aria-label="([^"]+)"', page)


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
    ]


def test_the_pipeline_chart_shows_what_the_home_covers(client, department):
    make_deal(department.rep_north, stage="Proposal", amount="10000.00")  # 40%: 4,000
    make_deal(department.rep_south, stage="Proposal", amount="50000.00")
    client.force_login(department.rep_north)
    own = client.get(reverse("home")).content.decode()
    assert "<title>Proposal: 4K\xa0₽</title>" in own
    client.force_login(department.head)
    everything = client.get(reverse("home")).content.decode()
    assert "<title>Proposal: 24K\xa0₽</title>" in everything
