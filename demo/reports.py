"""Demo data of the reports app: people's notification settings.

The report tables, alerts and notifications themselves are not invented here: ``make run``
computes them from the demo department with ``manage.py run_reports`` right after seeding,
exactly as the nightly run would."""

from __future__ import annotations

import random

from reports.models import NotificationPreference


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
