"""The demo pipeline: consistent stage histories, renewals, facts and reviews; deterministic."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from clients.models import Activity, ClientStatus, Segment
from deals.models import (
    SEEDED_LOST_REASON_NAMES,
    Deal,
    DealType,
    Fact,
    FactKind,
    Review,
    StageChange,
    StageKind,
)
from demo import deals as demo
from demo.accounts import seed_staff
from demo.deals.pipeline import COMPETITORS
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

STATUSES = (
    [ClientStatus.CUSTOMER] * 6 + [ClientStatus.PROSPECT] * 2 + [ClientStatus.LEAD, ClientStatus.FORMER]
)
SEGMENTS = [Segment.SMALL, Segment.MID, Segment.ENTERPRISE]


@pytest.fixture
def staff(db):
    return seed_staff()


@pytest.fixture
def demo_clients(staff):
    """A client base like demo.clients leaves behind: clients of every status for every
    seller, created over the last two years."""
    now = timezone.now()
    clients = []
    for index in range(8 * len(staff.sellers)):
        owner = staff.sellers[index % len(staff.sellers)]
        client = ClientFactory(
            owner=owner, status=STATUSES[index % len(STATUSES)], segment=SEGMENTS[index % len(SEGMENTS)]
        )
        clients.append(client)
        created = now - datetime.timedelta(days=20 + (index * 37) % 700)
        type(client).objects.filter(pk=client.pk).update(created_at=created)
    return clients


def summary():
    return sorted(
        Deal.objects.values_list(
            "client__name", "title", "amount", "stage__name", "deal_type", "expected_close", "closed_at"
        )
    )


def test_without_clients_the_demo_creates_nothing(staff):
    demo.seed(staff=staff, rng=random.Random(1), size="small")
    assert Deal.objects.count() == 0


def test_the_demo_pipeline_is_consistent(staff, demo_clients):
    demo.seed(staff=staff, rng=random.Random(20261123), size="small")
    today = timezone.localdate()
    deals = {
        deal.pk: deal for deal in Deal.objects.select_related("stage", "owner", "client", "renewal_of__stage")
    }
    assert 400 <= len(deals) <= 1200
    assert set(Counter(deal.stage.name for deal in deals.values())) == {
        "Lead", "Qualified", "Proposal", "Negotiation", "Contract", "Won", "Lost",
    }  # fmt: skip
    assert min(deal.created_at for deal in deals.values()).date() <= today - datetime.timedelta(days=365)

    chains: dict[int, list[StageChange]] = {}
    for change in StageChange.objects.select_related("from_stage", "to_stage").order_by("changed_at", "pk"):
        chains.setdefault(change.deal_id, []).append(change)
    assert set(chains) == set(deals)
    lengths = Counter()
    for pk, deal in deals.items():
        chain = chains[pk]
        lengths[len(chain)] += 1
        assert chain[0].from_stage is None
        assert chain[0].changed_at == deal.created_at
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.from_stage == before.to_stage
            assert after.changed_at >= before.changed_at
        assert chain[-1].to_stage == deal.stage
        assert deal.stage_changed_at == chain[-1].changed_at
        assert chain[-1].changed_at <= timezone.now()
        if deal.stage.kind == StageKind.OPEN:
            assert deal.closed_at is None
        else:
            assert deal.closed_at == timezone.localtime(chain[-1].changed_at).date()
        if deal.stage.kind == StageKind.LOST:
            assert deal.lost_reason_id and chain[-1].lost_reason_id == deal.lost_reason_id
            assert chain[-1].lost_comment == deal.lost_comment
        if deal.deal_type == DealType.RENEWAL:
            assert deal.renewal_of.client_id == deal.client_id
            assert deal.renewal_of.stage.kind == StageKind.WON
            assert deal.created_at > deal.renewal_of.stage_changed_at
            if deal.stage.kind == StageKind.WON:
                assert deal.service_start == deal.renewal_of.service_end + datetime.timedelta(days=1)
    assert len(lengths) >= 4  # not every deal reaches every stage
    assert sum(1 for deal in deals.values() if deal.deal_type == DealType.RENEWAL) >= 10
    assert (
        sum(1 for deal in deals.values() if deal.stage.kind == StageKind.OPEN and deal.expected_close < today)
        >= 1
    )

    advanced = [
        deal
        for deal in deals.values()
        if any(change.to_stage.name in ("Negotiation", "Contract") for change in chains[deal.pk])
    ]
    with_facts = set(Fact.objects.values_list("deal_id", flat=True))
    assert sum(1 for deal in advanced if deal.pk in with_facts) / len(advanced) >= 0.6
    for fact in Fact.objects.select_related("deal"):
        assert fact.happened_on >= timezone.localtime(fact.deal.created_at).date()
        assert fact.happened_on <= today

    lead_of_team = {lead.team_id: lead for lead in staff.leads}
    for review in Review.objects.select_related("deal__owner"):
        assert review.reviewer == lead_of_team.get(review.deal.owner.team_id, staff.head)
    open_deals = [deal for deal in deals.values() if deal.stage.kind == StageKind.OPEN]
    reviewed_recently = set(
        Review.objects.filter(reviewed_at__gte=timezone.now() - datetime.timedelta(days=7)).values_list(
            "deal_id", flat=True
        )
    )
    share = sum(1 for deal in open_deals if deal.pk in reviewed_recently) / len(open_deals)
    assert 0.3 < share < 0.9  # most are on the weekly cadence, some are not
    assert Activity.objects.filter(deal__isnull=False, occurred_at__gt=timezone.now()).count() == 0


def test_the_demo_is_deterministic(staff, demo_clients):
    demo.seed(staff=staff, rng=random.Random(7), size="small")
    first = summary()
    Deal.objects.all().delete()
    demo.seed(staff=staff, rng=random.Random(7), size="small")
    assert summary() == first


def test_the_demo_loses_deals_for_seeded_reasons_and_names_competitors(staff, demo_clients):
    """The lost report is not empty on the demo: every lost deal has a seeded reason and a
    comment, and those lost to a competitor or on price name the competitor."""
    demo.seed(staff=staff, rng=random.Random(20261123), size="small")
    lost = Deal.objects.filter(stage__kind=StageKind.LOST)
    assert lost.exists()
    assert set(lost.values_list("lost_reason__name", flat=True)) <= set(SEEDED_LOST_REASON_NAMES)
    assert not lost.filter(lost_comment="").exists()
    for deal in lost.filter(lost_reason__name__in=["Competitor", "Price"]):
        assert deal.facts.filter(kind=FactKind.NAMED_COMPETITOR, text__in=COMPETITORS).exists()
    named = set(Fact.objects.filter(kind=FactKind.NAMED_COMPETITOR).values_list("text", flat=True))
    assert named and named <= set(COMPETITORS)
