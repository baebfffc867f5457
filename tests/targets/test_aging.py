"""Aging buckets at their boundaries, and the aging summaries by owner, team and client."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.selectors import (
    installments_with_balance,
    overdue_installments,
    receivables_aging,
    receivables_totals,
)

D = Decimal


@pytest.mark.parametrize(
    ("days_overdue", "bucket", "is_overdue"),
    [
        (-10, "current", False),
        (0, "current", False),
        (1, "1-30", True),
        (30, "1-30", True),
        (31, "31-60", True),
        (60, "31-60", True),
        (61, "61-90", True),
        (90, "61-90", True),
        (91, "90+", True),
        (400, "90+", True),
    ],
)
def test_bucket_boundaries(department, won_deal, installment_of, today, days_overdue, bucket, is_overdue):
    deal = won_deal(department.rep_north)
    line = installment_of(deal, "100.00", today - datetime.timedelta(days=days_overdue))
    row = overdue_installments(viewer=department.head, today=today).filter(pk=line.pk).first()
    annotated = installments_with_balance(today=today).get(pk=line.pk)
    assert annotated.bucket == bucket
    assert annotated.is_overdue is is_overdue
    if is_overdue:
        assert row.days_overdue == datetime.timedelta(days=days_overdue)
    else:
        assert row is None


def test_a_paid_installment_is_never_overdue(department, won_deal, installment_of, today):
    deal = won_deal(department.rep_north)
    line = installment_of(deal, "100.00", today - datetime.timedelta(days=50), paid="100.00")
    annotated = installments_with_balance(today=today).get(pk=line.pk)
    assert (annotated.paid, annotated.outstanding, annotated.is_overdue) == (D("100.00"), D("0.00"), False)


@pytest.fixture
def ledger(department, won_deal, installment_of, today):
    """North: rep_north owes 100 current + 40 at 10 days + 300 at 45 days (one client);
    rep_north_2 owes 70 at 100 days. South: rep_south owes 500 at 75 days. Plus a fully
    paid installment that must not count."""

    def ago(days):
        return today - datetime.timedelta(days=days)

    deal_a = won_deal(department.rep_north, "1000.00")
    installment_of(deal_a, "100.00", ago(-3))
    installment_of(deal_a, "100.00", ago(10), paid="60.00")
    installment_of(deal_a, "300.00", ago(45))
    installment_of(deal_a, "200.00", ago(200), paid="200.00")
    deal_b = won_deal(department.rep_north_2, "70.00")
    installment_of(deal_b, "70.00", ago(100))
    deal_c = won_deal(department.rep_south, "500.00")
    installment_of(deal_c, "500.00", ago(75))
    return {"a": deal_a, "b": deal_b, "c": deal_c}


def as_dicts(rows):
    return {
        row["key"]: (
            row["current"],
            row["days_1_30"],
            row["days_31_60"],
            row["days_61_90"],
            row["days_90_plus"],
            row["outstanding_total"],
            row["overdue_total"],
        )
        for row in rows
    }


def test_aging_by_owner_for_the_head(department, ledger, today):
    rows = list(receivables_aging(viewer=department.head, today=today, group_by="owner"))
    assert [row["key"] for row in rows] == [
        department.rep_south.pk,
        department.rep_north.pk,
        department.rep_north_2.pk,
    ]
    assert as_dicts(rows) == {
        department.rep_north.pk: (
            D("100.00"),
            D("40.00"),
            D("300.00"),
            D("0.00"),
            D("0.00"),
            D("440.00"),
            D("340.00"),
        ),
        department.rep_north_2.pk: (
            D("0.00"),
            D("0.00"),
            D("0.00"),
            D("0.00"),
            D("70.00"),
            D("70.00"),
            D("70.00"),
        ),
        department.rep_south.pk: (
            D("0.00"),
            D("0.00"),
            D("0.00"),
            D("500.00"),
            D("0.00"),
            D("500.00"),
            D("500.00"),
        ),
    }


def test_aging_by_team_and_client(department, ledger, today):
    by_team = as_dicts(receivables_aging(viewer=department.head, today=today, group_by="team"))
    assert by_team == {
        department.north.pk: (
            D("100.00"),
            D("40.00"),
            D("300.00"),
            D("0.00"),
            D("70.00"),
            D("510.00"),
            D("410.00"),
        ),
        department.south.pk: (
            D("0.00"),
            D("0.00"),
            D("0.00"),
            D("500.00"),
            D("0.00"),
            D("500.00"),
            D("500.00"),
        ),
    }
    by_client = as_dicts(receivables_aging(viewer=department.head, today=today, group_by="client"))
    assert by_client[ledger["a"].client_id][5] == D("440.00")
    assert set(by_client) == {ledger["a"].client_id, ledger["b"].client_id, ledger["c"].client_id}


def test_aging_follows_visibility_and_filters(department, ledger, today):
    assert as_dicts(receivables_aging(viewer=department.lead_north, today=today, group_by="team")) == {
        department.north.pk: (
            D("100.00"),
            D("40.00"),
            D("300.00"),
            D("0.00"),
            D("70.00"),
            D("510.00"),
            D("410.00"),
        ),
    }
    assert set(as_dicts(receivables_aging(viewer=department.rep_north, today=today))) == {
        department.rep_north.pk
    }
    assert set(
        as_dicts(receivables_aging(viewer=department.head, today=today, team_id=department.south.pk))
    ) == {department.rep_south.pk}
    assert receivables_totals(viewer=department.head, today=today) == {
        "current": D("100.00"),
        "days_1_30": D("40.00"),
        "days_31_60": D("300.00"),
        "days_61_90": D("500.00"),
        "days_90_plus": D("70.00"),
        "outstanding_total": D("1010.00"),
        "overdue_total": D("910.00"),
        "installment_count": 5,
    }
    assert receivables_totals(viewer=department.rep_south, today=today)["outstanding_total"] == D("500.00")
    assert receivables_totals(viewer=department.assistant_without_team, today=today)[
        "outstanding_total"
    ] == D("0.00")


def test_the_aging_figures_follow_a_payment_and_its_void_at_once(department, ledger, today, api_as, client):
    # The aggregates are kept until the receivables change (ReceivablesCache): a payment and
    # its void each change them at once, on the API and on the page.
    from targets.models import Installment
    from targets.services import payment_record, payment_void

    api = api_as(department.head)
    client.force_login(department.head)

    def figures():
        body = api.get("/api/v1/receivables/aging/").json()
        owners = {row["key"]: row["outstanding_total"] for row in body["results"]}
        response = client.get(reverse("targets:receivables"))
        assert response.status_code == 200
        page = response.content.decode().replace("\u00a0", "").replace(",", "")
        return body["totals"]["outstanding_total"], owners[department.rep_south.pk], page

    total, south, page = figures()
    assert (total, south) == ("1010.00", "500.00")
    assert "500.00" in page
    assert figures()[:2] == (total, south)  # unchanged data: the kept figures
    line = Installment.objects.get(deal=ledger["c"])
    payment = payment_record(actor=department.head, installment=line, amount="120.00", paid_on=today)
    total, south, page = figures()
    assert (total, south) == ("890.00", "380.00")
    assert "380.00" in page and "500.00" not in page  # the tables by team, rep and client
    payment_void(actor=department.head, payment=payment, reason="Bounced")
    assert figures()[:2] == ("1010.00", "500.00")
