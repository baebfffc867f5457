"""The demo department comes with the default bonus schemes, so the leaderboard is not empty
after `make run` (seed_demo, then run_reports)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role, User
from core.periods import Period
from reports.incentives import leaderboard
from reports.models import BonusScheme, IncentiveReport
from reports.services.incentives import incentives_compute

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_the_default_schemes_and_fills_the_leaderboard(seeded_demo):
    schemes = {
        scheme.role: (scheme.basis, [(tier.threshold_pct, tier.rate_pct) for tier in scheme.tiers.all()])
        for scheme in BonusScheme.objects.prefetch_related("tiers")
    }
    tiers = [(Decimal("80.00"), Decimal("5.00")), (Decimal("100.00"), Decimal("8.00"))]
    assert schemes == {"rep": ("booked", tiers), "account_manager": ("collected", tiers)}

    last_month_end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    incentives_compute(as_of=last_month_end)
    paid = User.objects.filter(is_active=True, role__in=[Role.REP, Role.ACCOUNT_MANAGER]).count()
    assert IncentiveReport.objects.filter(period=last_month_end.replace(day=1)).count() >= paid > 0
    board = leaderboard(
        viewer=User.objects.get(username="head"),
        period=Period.month(last_month_end.year, last_month_end.month),
    )
    assert len(board.rows) == board.ranked >= paid
    assert [row.rank for row in board.rows] == sorted(row.rank for row in board.rows)
