"""The receivables roll-ups, the aging API and the owner/team filters group an installment
under the person following it up (``follow_up_by``, else the deal's owner): after a
hand-over the debt shows under the receiver, at once (the kept aggregates change with it)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.handover import book_hand_over
from targets.models import Installment
from targets.selectors import receivables_aging, receivables_rollup
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, PaymentFactory, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(department):
    """rep_north: 750.00 overdue by 10 days (1000.00 less 250.00 paid); rep_north_2: 400.00
    not yet due."""
    today = timezone.localdate()
    lines = {}
    for key, owner, amount, days_late, paid in (
        ("north", department.rep_north, "1000.00", 10, "250.00"),
        ("north_2", department.rep_north_2, "400.00", -20, None),
    ):
        deal = DealFactory(client=ClientFactory(owner=owner), owner=owner, stage=stage("Won"), amount=amount)
        lines[key] = InstallmentFactory(
            deal=deal, amount=Decimal(amount), due_date=today - datetime.timedelta(days=days_late)
        )
        if paid:
            PaymentFactory(installment=lines[key], amount=Decimal(paid))
    return lines


def _owners(rows):
    return {
        row["key"]: (row["current"], row["days_1_30"], row["outstanding_total"], row["installment_count"])
        for row in rows
    }


def test_after_a_hand_over_the_rollup_shows_the_debt_under_the_receiver(department, ledger):
    today = timezone.localdate()
    north, north_2 = department.rep_north, department.rep_north_2
    _totals, by_team, by_owner = receivables_rollup(viewer=department.head, today=today)
    assert _owners(by_owner) == {
        north.pk: (Decimal("0.00"), Decimal("750.00"), Decimal("750.00"), 1),
        north_2.pk: (Decimal("400.00"), Decimal("0.00"), Decimal("400.00"), 1),
    }

    book_hand_over(by=department.lead_north, owner=north, to=[north_2.pk])

    # The won deal stays credited to rep_north; its collection moved to rep_north_2.
    assert ledger["north"].deal.owner == north
    totals, by_team, by_owner = receivables_rollup(viewer=department.head, today=today)
    assert _owners(by_owner) == {north_2.pk: (Decimal("400.00"), Decimal("750.00"), Decimal("1150.00"), 2)}
    assert [(row["person_team_name"], row["outstanding_total"]) for row in by_team] == [
        ("North", Decimal("1150.00"))
    ]
    assert totals["outstanding_total"] == Decimal("1150.00")
    rows = receivables_aging(viewer=department.head, today=today, group_by="owner", owner_id=north.pk)
    assert list(rows) == []


def test_the_team_is_the_follow_up_persons_team(department, ledger):
    today = timezone.localdate()
    Installment.objects.filter(pk=ledger["north"].pk).update(follow_up_by=department.rep_south)
    by_team = {
        row["person_team_name"]: row["outstanding_total"]
        for row in receivables_aging(viewer=department.head, today=today, group_by="team")
    }
    assert by_team == {"North": Decimal("400.00"), "South": Decimal("750.00")}
    south = receivables_aging(viewer=department.head, today=today, team_id=department.south.pk)
    assert _owners(south) == {
        department.rep_south.pk: (Decimal("0.00"), Decimal("750.00"), Decimal("750.00"), 1)
    }


def test_the_api_and_the_overdue_filter_follow_the_hand_over(department, ledger, api_as, client):
    north, north_2 = department.rep_north, department.rep_north_2
    api = api_as(department.head)

    def aging(**params):
        body = api.get("/api/v1/receivables/aging/", params).json()
        return body["totals"]["outstanding_total"], {
            row["name"]: row["outstanding_total"] for row in body["results"]
        }

    assert aging() == ("1150.00", {north.full_name: "750.00", north_2.full_name: "400.00"})
    book_hand_over(by=department.head, owner=north, to=[north_2.pk])
    # The kept aggregates (ReceivablesCache) changed with the installments' follow-up.
    assert aging() == ("1150.00", {north_2.full_name: "1150.00"})
    assert aging(owner=north.pk) == ("0.00", {})
    assert aging(group="team") == ("1150.00", {"North": "1150.00"})
    installments = api.get("/api/v1/installments/", {"owner": north_2.pk}).json()
    assert sorted(row["id"] for row in installments["results"]) == sorted(line.pk for line in ledger.values())
    assert api.get("/api/v1/installments/", {"owner": north.pk}).json()["count"] == 0

    client.force_login(department.head)
    response = client.get(reverse("targets:overdue"), {"owner": north_2.pk})
    assert response.status_code == 200
    assert [row.record.pk for row in response.context["table"].page.object_list] == [ledger["north"].pk]
    response = client.get(reverse("targets:overdue"), {"owner": north.pk})
    assert list(response.context["table"].page.object_list) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_search_on_the_overdue_list_says_why_it_shows_nothing(department, ledger, client, htmx):
    """The results the filters' htmx swaps in carry the message too, not just an empty list."""
    client.force_login(department.assistant_north)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    fine = client.get(reverse("targets:overdue"), {"q": ""}, **headers)
    assert [row.record.pk for row in fine.context["table"].page.object_list] == [ledger["north"].pk]

    response = client.get(reverse("targets:overdue"), {"q": "x" * 101}, **headers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Some filters are not valid:" in page
    assert "Ensure this value has at most 100 characters (it has 101)." in page
    assert 'data-testid="overdue-empty"' in page
