"""Demo data of the reports app: people's notification settings and the default bonus
schemes (the nightly run computes the bonuses from them).

The report tables, alerts and notifications themselves are not invented here: ``make run``
computes them from the demo department with ``manage.py run_reports`` right after seeding,
exactly as the nightly run would."""

from __future__ import annotations

import random
from decimal import Decimal

from accounts.models import Role
from reports.models import BonusScheme, BonusTier, NotificationPreference
from targets.models import PlanMetric

# The default bonus schemes (issue 14): nothing below 80% of the plan, 5% of the basis from
# 80%, 8% from 100%; reps on booked revenue, key-account managers on what they collect.
DEFAULT_TIERS = [(Decimal("80.00"), Decimal("5.00")), (Decimal("100.00"), Decimal("8.00"))]
DEFAULT_SCHEMES = {Role.REP: PlanMetric.BOOKED, Role.ACCOUNT_MANAGER: PlanMetric.COLLECTED}


def seed_bonus_schemes(*, head) -> None:
    for role, basis in DEFAULT_SCHEMES.items():
        scheme, created = BonusScheme.objects.get_or_create(
            role=role, defaults={"basis": basis, "active": True, "updated_by": head}
        )
        if created:
            BonusTier.objects.bulk_create(
                [
                    BonusTier(scheme=scheme, threshold_pct=threshold, rate_pct=rate)
                    for threshold, rate in DEFAULT_TIERS
                ]
            )


def seed(*, staff, rng: random.Random, size: str = "small") -> None:
    leads = staff.leads
    preferences = [
        # Team Central's lead reads Russian, Team East's lead Chinese; one rep wants no e-mail.
        NotificationPreference(user=leads[1], language="ru", email_enabled=True),
        NotificationPreference(user=leads[2], language="zh-hans", email_enabled=True),
        NotificationPreference(user=staff.head, language="en", email_enabled=True),
        NotificationPreference(user=rng.choice(staff.reps), language="en", email_enabled=False),
    ]
    NotificationPreference.objects.bulk_create(preferences)
    seed_bonus_schemes(head=staff.head)
