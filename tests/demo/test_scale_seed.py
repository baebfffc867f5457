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
