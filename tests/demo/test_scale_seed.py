"""The department-scale seed (seed_demo --size large), run here at a tiny scale: it makes the
same kind of department as the demo, bonus schemes included, so the benchmark's two sizes
read the same rows (the home page's bonus panel runs one query more when there are bonuses)."""

import random

import pytest

from accounts.models import Role, User
from deals.models import Deal
from demo.reports import DEFAULT_SCHEMES, DEFAULT_TIERS
from demo.scale import Scale, seed_large
from reports.models import BonusScheme

pytestmark = pytest.mark.django_db

TINY = Scale(teams=2, reps_per_team=2, clients=20, deals=40, activities=60, installments=5, years=1)


def test_a_tiny_department_at_scale_has_the_demos_bonus_schemes():
    seed_large(rng=random.Random(7), out=lambda message: None, scale=TINY)
    assert User.objects.filter(role=Role.REP).count() == 4
    assert Deal.objects.count() == 40
    schemes = {scheme.role: scheme for scheme in BonusScheme.objects.prefetch_related("tiers")}
    assert {role: scheme.basis for role, scheme in schemes.items()} == DEFAULT_SCHEMES
    for scheme in schemes.values():
        assert scheme.active
        tiers = sorted((tier.threshold_pct, tier.rate_pct) for tier in scheme.tiers.all())
        assert tiers == DEFAULT_TIERS


def test_a_tiny_department_at_scale_has_calls_about_its_deals():
    """The deal page lists a deal's activities and a fact may cite one: at scale, as in the demo,
    activities concern deals of their client made before them (the benchmark measured deal
    pages with none)."""
    from clients.models import Activity

    seed_large(rng=random.Random(7), out=lambda message: None, scale=TINY)
    about = Activity.objects.filter(deal__isnull=False).select_related("deal")
    assert about.count() >= 20
    for activity in about:
        assert activity.deal.client_id == activity.client_id
        assert activity.deal.created_at.date() <= activity.occurred_at.date()


def test_nothing_at_scale_happens_after_now_and_a_deals_history_runs_forward():
    """A day's random hour could be later today than now: a stage change, a deal or a call of
    today in the future, and a deal's next stage change earlier than its last."""
    from django.utils import timezone

    from clients.models import Activity
    from deals.models import Deal, StageChange

    seed_large(rng=random.Random(11), out=lambda message: None, scale=COMMERCE)
    now = timezone.now()
    assert not Activity.objects.filter(occurred_at__gt=now).exists()
    assert not Deal.objects.filter(created_at__gt=now).exists()
    changes = StageChange.objects.order_by("deal_id", "pk").values_list("deal_id", "changed_at")
    assert len(changes) >= COMMERCE.deals
    last: dict[int, object] = {}
    for deal_id, moment in changes:
        assert moment <= now
        assert deal_id not in last or last[deal_id] <= moment, deal_id
        last[deal_id] = moment
    for deal in Deal.objects.all():
        first = StageChange.objects.filter(deal=deal).order_by("pk").values_list("changed_at", flat=True)[0]
        assert deal.created_at <= first, deal.pk


COMMERCE = Scale(teams=2, reps_per_team=2, clients=60, deals=400, activities=100, installments=20, years=2)


def test_the_commerce_at_scale_is_what_the_services_would_have_written():
    """Lines priced by deals.pricing with the deal's amount their net total; proposals copying
    their deal's lines and totals, numbered per year in the order issued (the counter at the
    last number), none sent and past its validity; contracts numbered per year by date, a won
    deal's approved by the owner's lead; requests due when their kind says."""
    import datetime
    from collections import Counter, defaultdict

    from django.db.models import Sum
    from django.utils import timezone

    from deals.models import DealLine, Product, Quote, QuoteCounter, StageKind
    from deals.pricing import line_totals
    from documents.models import ClientRequest, Contract, ContractStatus
    from documents.services.requests import response_time

    seed_large(rng=random.Random(11), out=lambda message: None, scale=COMMERCE)
    today = timezone.localdate()
    now = timezone.now()

    assert Product.objects.count() >= 30
    lines = list(DealLine.objects.all())
    with_lines = {line.deal_id for line in lines}
    assert COMMERCE.deals // 5 <= len(with_lines) <= COMMERCE.deals // 2
    for line in lines:
        totals = line_totals(
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            tax_rate=line.tax_rate,
        )
        assert (line.net, line.tax, line.gross) == (totals.net, totals.tax, totals.gross)
        assert line.approval in ("not_needed", "approved")
        assert (line.approval == "approved") == (line.discount_percent > line.product.max_discount_percent)
    sums = dict(DealLine.objects.values("deal").annotate(net=Sum("net")).values_list("deal", "net"))
    for deal in Deal.objects.filter(pk__in=with_lines):
        assert deal.amount == sums[deal.pk]
        assert 1 <= deal.lines.count() <= 4

    quotes = list(Quote.objects.select_related("deal").prefetch_related("lines").order_by("created_at", "pk"))
    assert len(quotes) >= 20
    numbers = defaultdict(list)
    for quote in quotes:
        assert quote.deal_id in with_lines
        copied = [(q.code, q.name, q.quantity, q.net, q.tax, q.gross) for q in quote.lines.all()]
        deal_lines = [
            (d.product.code, d.name, d.quantity, d.net, d.tax, d.gross)
            for d in quote.deal.lines.select_related("product")
        ]
        assert copied == deal_lines
        assert (quote.net, quote.tax, quote.gross) == (
            sum(q.net for q in quote.lines.all()),
            sum(q.tax for q in quote.lines.all()),
            sum(q.gross for q in quote.lines.all()),
        )
        assert not (quote.status == "sent" and quote.valid_until < today)
        assert quote.valid_until == timezone.localdate(quote.created_at) + datetime.timedelta(days=30)
        if quote.deal.stage.kind == StageKind.WON:
            assert quote.status in ("accepted", "rejected", "draft")
        numbers[timezone.localdate(quote.created_at).year].append(quote.number)
    for year, issued in numbers.items():
        assert issued == [f"Q-{year}-{n:04d}" for n in range(1, len(issued) + 1)]
        assert QuoteCounter.objects.get(year=year).last == len(issued)
    versions = defaultdict(list)
    for quote in sorted(quotes, key=lambda quote: quote.version):
        versions[quote.deal_id].append(quote.version)
    assert all(found == list(range(1, len(found) + 1)) for found in versions.values())

    contracts = list(
        Contract.objects.select_related("deal__stage", "deal__owner__team").order_by("date", "pk")
    )
    assert contracts
    by_year = defaultdict(list)
    for contract in contracts:
        by_year[contract.date.year].append(contract.number)
        assert contract.amount == contract.deal.amount
        # written, submitted and reviewed in that order, none of it in the future
        steps = [contract.created_at, contract.submitted_at, contract.reviewed_at]
        steps = [moment for moment in steps if moment is not None]
        assert steps == sorted(steps) and steps[-1] <= now, contract.pk
        if contract.deal.stage.kind == StageKind.WON:
            assert contract.status == ContractStatus.APPROVED
            assert contract.reviewed_by_id == contract.deal.owner.team.lead_id
            # approved before the deal was won
            assert timezone.localdate(contract.reviewed_at) <= contract.deal.closed_at, contract.pk
        else:
            assert contract.deal.stage.name == "Contract"
    for year, issued in by_year.items():
        assert issued == [f"C-{year}-{n:04d}" for n in range(1, len(issued) + 1)]

    requests = list(ClientRequest.objects.select_related("client", "deal"))
    assert requests
    assert Counter(request.status for request in requests)["resolved"] > 0
    for request in requests:
        assert request.due_by == request.created_at + response_time(request.kind)
        assert request.owner_id == request.client.owner_id
        assert request.deal is None or request.deal.client_id == request.client_id
        assert (request.closed_at is None) == request.is_open
