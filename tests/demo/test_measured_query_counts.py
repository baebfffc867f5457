"""Every request the benchmark measures runs the same number of queries however much data
there is: measured on the demo department, then again after every list has grown."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from demo.bench import measured_requests
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    FactFactory,
    InstallmentFactory,
    PaymentFactory,
    stage,
)

pytestmark = pytest.mark.django_db


def query_counts(requests) -> dict[str, int]:
    counts = {}
    browsers = {}
    for name, _kind, username, path, _budget in requests:
        if username not in browsers:
            browsers[username] = Client()
            browsers[username].force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as captured:
            response = browsers[username].get(path, HTTP_HOST="localhost")
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def grow_every_list() -> None:
    today = timezone.localdate()
    stages = [stage(name) for name in ("Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Won")]
    for username in ("rep1", "rep2", "rep5", "rep9"):
        owner = User.objects.get(username=username)
        for number in range(12):
            client = ClientFactory(owner=owner, name=f"Grown {username} {number}")
            ContactFactory(client=client)
            ActivityFactory(client=client, owner=owner)
            deal_stage = stages[number % len(stages)]
            deal = DealFactory(
                client=client,
                owner=owner,
                stage=deal_stage,
                amount=Decimal("1000.00") + number,
                expected_close=today + datetime.timedelta(days=number - 6),
                closed_at=today if deal_stage.kind == "won" else None,
            )
            FactFactory(deal=deal)
            if deal_stage.kind == "won":
                installment = InstallmentFactory(
                    deal=deal, amount=deal.amount, due_date=today - datetime.timedelta(days=number * 7)
                )
                PaymentFactory(installment=installment, amount=Decimal("10.00"))


def test_every_measured_request_runs_the_same_queries_at_two_data_sizes(seeded_demo):
    call_command("run_reports", "--months", "2", "--no-email", stdout=StringIO())
    requests = measured_requests()
    before = query_counts(requests)

    grow_every_list()
    call_command("run_reports", "--no-email", stdout=StringIO())
    after = query_counts(requests)

    assert after == before
    assert all(count > 0 for count in before.values())
