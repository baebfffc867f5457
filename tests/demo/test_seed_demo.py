"""The demo department: every demo user exists, can sign in, and runs are repeatable.

The department is seeded once for this module (the `seeded_demo` fixture); each test runs in
a savepoint on top of it."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import Team, User

pytestmark = pytest.mark.django_db

DEMO_USERS = ["head", "lead1", "lead2", "lead3", "sdr1", "am1", "assistant1", "analyst1"] + [
    f"rep{n}" for n in range(1, 13)
]


def test_seed_demo_creates_the_department(seeded_demo):
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_USERS)
    assert {team.name: team.lead.username for team in Team.objects.select_related("lead")} == {
        "Team North": "lead1",
        "Team Central": "lead2",
        "Team East": "lead3",
    }
    for team in Team.objects.all():
        assert team.members.filter(role="rep").count() == 4
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["head"] == "head" and roles["analyst1"] == "analyst" and roles["assistant1"] == "assistant"
    assert roles["am1"] == "account_manager" and roles["sdr1"] == "sdr"
    assert User.objects.get(username="rep1").get_full_name() == "Anna Ivanova"


def test_every_demo_user_signs_in_with_password_demo(seeded_demo, rf):
    # A request, as on the login page: the sign-in lockout keys on its address.
    for username in DEMO_USERS:
        assert authenticate(rf.post("/accounts/login/"), username=username, password="demo") is not None, (
            username
        )


def test_seed_demo_if_empty_leaves_an_existing_database_alone(seeded_demo):
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert User.objects.count() == len(DEMO_USERS)
    with pytest.raises(CommandError, match="already has users"):
        call_command("seed_demo", stdout=StringIO())


def test_the_demo_flags_a_minority_of_deals_and_some_reps_meet_the_call_norm(seeded_demo):
    """Warnings worth reading: on the head's board between 10% and 30% of open deals need
    attention; the call norms sit where some reps meet them and some do not."""
    import datetime
    from collections import Counter

    from django.utils import timezone

    from clients.models import Activity, ActivityKind
    from reports.board import board
    from targets.selectors import effective_norms

    head = User.objects.get(username="head")
    data = board(viewer=head)
    assert data.open_count > 100
    share = data.attention / data.open_count
    assert 0.10 <= share <= 0.30, (data.attention, data.open_count)
    # each flagged deal counted once, under its most severe warning
    flagged_by_warning = Counter()
    for row in data.rows:
        flagged_by_warning.update(row.warnings)
    assert sum(flagged_by_warning.values()) >= data.attention

    since = timezone.now() - datetime.timedelta(days=28)
    calls = Counter(
        Activity.objects.filter(kind=ActivityKind.CALL, occurred_at__gte=since).values_list(
            "owner_id", flat=True
        )
    )
    reps = effective_norms(viewer=head, people=User.objects.filter(role="rep"))
    meets = {rep.username: calls[rep.pk] / 20 >= rep.calls_per_day for rep in reps}
    assert len(meets) == 12
    assert 1 <= sum(meets.values()) <= 11, meets
