"""Writes and checks for staff accounts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, Team, Territory, User


@dataclass(frozen=True)
class LoginLocked(Exception):
    seconds_left: int

    def message(self) -> str:
        minutes = max(1, (self.seconds_left + 59) // 60)
        return _(
            "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d more minute(s); "
            "try again later or ask your administrator to reset your password."
        ) % {"minutes": minutes}


def _keys(username: str, address: str | None) -> list[str]:
    keys = ["login-fail:user:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()]
    if address:
        keys.append("login-fail:addr:" + address)
    return keys


def _lock_key(key: str) -> str:
    return key.replace("login-fail:", "login-lock:", 1)


def login_lock_check(*, username: str, address: str | None) -> None:
    """Raise LoginLocked while the username or the address is locked out."""
    import time

    now = time.time()
    for key in _keys(username, address):
        locked_until = cache.get(_lock_key(key))
        if locked_until and locked_until > now:
            raise LoginLocked(seconds_left=int(locked_until - now))


def login_failure_record(*, username: str, address: str | None) -> None:
    import time

    limit = settings.LOGIN_FAILURE_LIMIT
    window = settings.LOGIN_LOCKOUT_SECONDS
    for key in _keys(username, address):
        cache.add(key, 0, timeout=window)
        try:
            failures = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=window)
            failures = 1
        # An address is shared by a whole office, so it gets more room than one username.
        key_limit = limit if ":user:" in key else limit * 4
        if failures >= key_limit:
            cache.set(_lock_key(key), time.time() + window, timeout=window)
            cache.delete(key)


def login_success_record(*, username: str, address: str | None) -> None:
    cache.delete(_keys(username, None)[0])


def throttled_authenticate(*, request, username: str, password: str) -> User | None:
    """authenticate() guarded by the login throttle; raises LoginLocked when locked."""
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    login_lock_check(username=username, address=address)
    user = authenticate(request, username=username, password=password)
    if user is None:
        login_failure_record(username=username, address=address)
    else:
        login_success_record(username=username, address=address)
    return user


@transaction.atomic
def team_create(*, name: str, lead: User | None = None) -> Team:
    team = Team.objects.create(name=name, lead=lead)
    if lead is not None and lead.team_id is None:
        lead.team = team
        lead.save(update_fields=["team", "updated_at"])
    return team


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str = Role.REP,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
    territory: Territory | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        team=team,
        territory=territory,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
