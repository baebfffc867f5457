"""Shared fixtures: a small department with every role (alice/bob/charlie style)."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import Role, Team, User
from tests.factories import TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Login throttling lives in the cache; tests must not inherit each other's failures."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Department:
    north: Team
    south: Team
    head: User
    analyst: User
    lead_north: User
    lead_south: User
    lead_without_team: User
    rep_north: User
    rep_north_2: User
    rep_south: User
    rep_without_team: User
    sdr_north: User
    account_manager_south: User
    assistant_north: User
    assistant_without_team: User
    inactive_rep_north: User


@pytest.fixture
def department(db) -> Department:
    north = TeamFactory(name="North")
    south = TeamFactory(name="South")

    def user(username, role, team=None, **extra):
        return UserFactory(username=username, role=role, team=team, **extra)

    lead_north = user("lead_north", Role.LEAD, north)
    lead_south = user("lead_south", Role.LEAD, south)
    north.lead = lead_north
    north.save()
    south.lead = lead_south
    south.save()
    return Department(
        north=north,
        south=south,
        head=user("head", Role.HEAD),
        analyst=user("analyst", Role.ANALYST),
        lead_north=lead_north,
        lead_south=lead_south,
        lead_without_team=user("lead_without_team", Role.LEAD),
        rep_north=user("rep_north", Role.REP, north),
        rep_north_2=user("rep_north_2", Role.REP, north),
        rep_south=user("rep_south", Role.REP, south),
        rep_without_team=user("rep_without_team", Role.REP),
        sdr_north=user("sdr_north", Role.SDR, north),
        account_manager_south=user("am_south", Role.ACCOUNT_MANAGER, south),
        assistant_north=user("assistant_north", Role.ASSISTANT, north),
        assistant_without_team=user("assistant_without_team", Role.ASSISTANT),
        inactive_rep_north=user("inactive_rep_north", Role.REP, north, is_active=False),
    )


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """An API client authenticated as the given user (token auth, as REST clients use it)."""
    from rest_framework.authtoken.models import Token

    def login(user: User) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api_client

    return login
