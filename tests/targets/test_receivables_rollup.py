"""The receivables overview rolls teams and totals up from the per-person rows; the figures
must equal the database's own grouping by team and its grand total."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from targets.selectors import receivables_aging, receivables_rollup, receivables_totals
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, PaymentFactory, stage

pytestmark = pytest.mark.django_db


def test_rollup_matches_the_database_grouping(department):
    today = timezone.localdate()
    plan = [
        (department.rep_north, "1000.00", 10, "250.00"),
        (department.rep_north, "500.00", 45, None),
        (department.rep_north_2, "700.00", -5, "100.00"),
        (department.rep_south, "900.00", 100, "0.01"),
        (department.account_manager_south, "300.00", 0, "300.00"),  # paid in full: not outstanding
    ]
    for owner, amount, days_late, paid in plan:
        deal = DealFactory(client=ClientFactory(owner=owner), stage=stage("Won"), amount=Decimal(amount))
        line = InstallmentFactory(
            deal=deal, amount=Decimal(amount), due_date=today - datetime.timedelta(days=days_late)
        )
        if paid:
            PaymentFactory(installment=line, amount=Decimal(paid))

    totals, by_team, by_owner = receivables_rollup(viewer=department.head, today=today)

    assert totals == receivables_totals(viewer=department.head, today=today)
    assert totals["outstanding_total"] == Decimal("2749.99")
    assert totals["installment_count"] == 4
    expected_teams = {
        row["key"]: row for row in receivables_aging(viewer=department.head, today=today, group_by="team")
    }
    assert (
        {row["key"] for row in by_team} == set(expected_teams) == {department.north.pk, department.south.pk}
    )
    for row in by_team:
        for field in (
            "current",
            "days_1_30",
            "days_31_60",
            "days_61_90",
            "days_90_plus",
            "outstanding_total",
        ):
            assert row[field] == expected_teams[row["key"]][field], (row["key"], field)
    assert [row["person_team_name"] for row in by_team] == ["North", "South"]
    assert [row["key"] for row in by_owner] == [
        row["key"] for row in receivables_aging(viewer=department.head, today=today, group_by="owner")
    ]


def test_rollup_for_a_lead_covers_only_their_team(department):
    today = timezone.localdate()
    for owner in (department.rep_north, department.rep_south):
        deal = DealFactory(client=ClientFactory(owner=owner), stage=stage("Won"))
        InstallmentFactory(deal=deal, amount=Decimal("100.00"), due_date=today - datetime.timedelta(days=3))
    totals, by_team, by_owner = receivables_rollup(viewer=department.lead_north, today=today)
    assert totals["outstanding_total"] == Decimal("100.00")
    assert [row["person_team_name"] for row in by_team] == ["North"]
    assert [row["key"] for row in by_owner] == [department.rep_north.pk]
