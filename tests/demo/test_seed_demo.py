"""The demo department: every demo user exists, can sign in, and runs are repeatable.

The department is seeded once for this module (the `seeded_demo` fixture); each test runs in
a savepoint on top of it."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

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


def test_every_demo_user_signs_in_with_password_demo(seeded_demo):
    # Sign-in goes through django-axes, which needs the request (as the login view gives it).
    request = RequestFactory().post("/accounts/login/")
    for username in DEMO_USERS:
        assert authenticate(request, username=username, password="demo") is not None, username


def test_seed_demo_if_empty_leaves_an_existing_database_alone(seeded_demo):
    call_command("seed_demo", "--if-empty", stdout=StringIO())
    assert User.objects.count() == len(DEMO_USERS)
    with pytest.raises(CommandError, match="already has users"):
        call_command("seed_demo", stdout=StringIO())
