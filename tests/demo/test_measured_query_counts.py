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
    ProductFactory,
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


def grow_the_commerce(deal, owner, number: int) -> None:
    """Lines and a proposal on an open deal, a contract awaiting review at the contract stage, a
    request on its client: the products, contracts and requests lists grow with the deals."""
    from deals import services as deal_services
    from documents import services as document_services

    if deal.stage.kind == "open":
        for product in ProductFactory.create_batch(2):
            deal_services.deal_line_add(by=owner, deal=deal, product=product, quantity=Decimal(number + 1))
        deal_services.quote_create(by=owner, deal=deal)
    if deal.stage.name == "Contract":
        contract = document_services.contract_create(
            by=owner, deal=deal, number=f"C-GROWN-{owner.username}-{number}"
        )
        document_services.contract_submit(by=owner, contract=contract)
    document_services.request_create(by=owner, client=deal.client, kind="complaint", description="Grown")


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
            grow_the_commerce(deal, owner, number)
            if deal_stage.kind == "won":
                installment = InstallmentFactory(
                    deal=deal, amount=deal.amount, due_date=today - datetime.timedelta(days=number * 7)
                )
                PaymentFactory(installment=installment, amount=Decimal("10.00"))


def grow_the_measured_deal_and_client() -> None:
    """More of everything the deal, client and proposal pages show, on the deal, client and
    proposal measured."""
    from deals import services as deal_services
    from deals.models import Deal, Quote, QuoteLine
    from demo.bench import _measured_rep, _rep_deal
    from tests.factories import TaskFactory

    deal_id, _client_id, quote_id = _rep_deal(_measured_rep())
    deal = Deal.objects.select_related("client", "owner", "stage").get(pk=deal_id)
    quote = Quote.objects.get(pk=quote_id)
    for number in range(6):
        deal_services.deal_line_add(by=deal.owner, deal=deal, product=ProductFactory(), quantity=Decimal(2))
        deal_services.quote_create(by=deal.owner, deal=deal)
        QuoteLine.objects.create(
            quote=quote,
            position=100 + number,
            name=f"Grown line {number}",
            quantity=Decimal(1),
            unit_price=Decimal("10.00"),
            discount_percent=Decimal(0),
            tax_rate=Decimal(20),
            net=Decimal("10.00"),
            tax=Decimal("2.00"),
            gross=Decimal("12.00"),
        )
    for number in range(25):
        contact = ContactFactory(client=deal.client)
        ActivityFactory(client=deal.client, owner=deal.owner, deal=deal, contact=contact)
        FactFactory(deal=deal)
        TaskFactory(client=deal.client, owner=deal.owner, deal=deal, title=f"Grown task {number}")
        DealFactory(client=deal.client, owner=deal.owner)


def test_every_measured_request_runs_the_same_queries_at_two_data_sizes(seeded_demo):
    call_command("run_reports", "--months", "2", "--no-email", stdout=StringIO())
    requests = measured_requests()
    before = query_counts(requests)

    grow_every_list()
    grow_the_measured_deal_and_client()
    call_command("run_reports", "--no-email", stdout=StringIO())
    after = query_counts(requests)

    assert after == before
    assert all(count > 0 for count in before.values())


def test_the_benchmark_child_answers_one_timed_request_per_line(seeded_demo):
    """``bench --serve``: the requests' names first, then one JSON answer per index."""
    import json

    from demo.bench_compare import serve

    call_command("run_reports", "--months", "1", "--no-email", stdout=StringIO())
    requests = measured_requests()
    board = [row[0] for row in requests].index("Page board")
    out = StringIO()
    serve(out=out, inp=StringIO(f"{board}\n{board}\n"))
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0]) == [row[0] for row in requests]
    first, second = (json.loads(line) for line in lines[1:])
    assert (first["status"], second["status"]) == (200, 200)
    assert 10_000 < second["bytes"] < 150_000
    assert second["queries"] < first["queries"]  # the rows rendered by the first, cached


def test_the_budget_lines_judge_ratios_bytes_and_query_counts():
    from demo.bench_compare import Row, _print_requests

    def row(name, small, large, queries=(5, 5), size=(1000, 1000)):
        return Row(name, [small], [large], queries[0], queries[1], size[0], size[1])

    lines = []
    holds = _print_requests([row("Page board", 10, 14), row("API deals list", 10, 19)], lines.append)
    assert holds and "budget: every request <= 2x from small to large          holds" in lines
    lines = []
    assert not _print_requests([row("Page board", 10, 16)], lines.append)  # 1.6x > 1.5x
    assert "budget: board and kanban pages <= 1.5x                   FAILS" in lines
    lines = []
    assert not _print_requests([row("Page kanban", 10, 10, size=(1000, 151_000))], lines.append)
    assert "budget: every page <= 150 KB at both sizes               FAILS" in lines
    lines = []
    assert not _print_requests([row("API clients list", 10, 10, queries=(4, 5))], lines.append)
    assert "budget: query counts equal at both sizes                 FAILS" in lines
