"""Writes and checks for staff accounts."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.handover import BookNotEmpty, book_of
from accounts.models import ApiToken, Role, Team, Territory, User
from accounts.rules import ensure_can_deactivate


@dataclass(frozen=True)
class LoginLocked(Exception):
    seconds_left: int
    # True when the wrong password just given is the one that set the lock.
    set_by_this_attempt: bool = False

    def message(self) -> str:
        minutes = max(1, (self.seconds_left + 59) // 60)
        return _(
            "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d more minute(s); "
            "try again later or ask your administrator to reset your password."
        ) % {"minutes": minutes}


def sign_in_failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: read LOGIN_FAILURE_LIMIT when asked, so it stays the one setting."""
    return settings.LOGIN_FAILURE_LIMIT


def sign_in_cool_off(request) -> timedelta:
    """AXES_COOLOFF_TIME: read LOGIN_LOCKOUT_SECONDS when asked, so it stays the one setting."""
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def sign_in_lock_seconds_left(*, request, username: str) -> int:
    """Seconds until the lock on this username and client address ends: it runs for
    AXES_COOLOFF_TIME from the failure that set it (failures during a lock are not recorded)."""
    from axes.helpers import get_client_parameters, get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request)
    if cool_off is None:
        return 0
    attempts = AccessAttempt.objects.none()
    for condition in get_client_parameters(
        username, request.axes_ip_address, request.axes_user_agent, request, {"username": username}
    ):
        attempts |= AccessAttempt.objects.filter(**condition)
    last_failure = attempts.aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return int(cool_off.total_seconds())
    return max(1, math.ceil((last_failure + cool_off - timezone.now()).total_seconds()))


def sign_in_authenticate(*, request: HttpRequest, username: str, password: str) -> User | None:
    """authenticate() under the sign-in lockout (django-axes, see the settings block): raises
    LoginLocked when this username is locked from this client address, including when this
    very failure set the lock. The caller renders LoginLocked itself; the request is marked so
    that axes' middleware leaves that response alone (accounts.views.sign_in_locked_response).
    Expects the Django HttpRequest (a DRF view passes request._request)."""
    # AxesStandaloneBackend puts an "error" into response_context when the pair was already
    # locked before this attempt (the password was then not even checked).
    locked_before: dict = {}
    user = authenticate(request, username=username, password=password, response_context=locked_before)
    if getattr(request, "axes_locked_out", False):
        request.sign_in_lock_answered = True
        raise LoginLocked(
            seconds_left=sign_in_lock_seconds_left(request=request, username=username),
            set_by_this_attempt="error" not in locked_before,
        )
    return user


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    key: str


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedApiToken:
    """A new token for the user; the key is returned here once and only its hash is kept."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=api_token_hash(key),
        key_prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return IssuedApiToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke one token (its owner asked); revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


@transaction.atomic
def api_tokens_revoke_for_user(*, user: User) -> int:
    """Revoke every live token of the user: their password changed or they were deactivated."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Deactivate a user: they can no longer sign in, and their API tokens stop working.
    Someone whose book still holds work (clients, open deals, tasks, installments to follow
    up, open alerts) is refused with BookNotEmpty: hand the book over first. ``by``, when
    given, must be allowed to (accounts.rules.may_deactivate)."""
    if by is not None:
        ensure_can_deactivate(by, user)
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    book = book_of(user)
    if not book.is_empty:
        raise BookNotEmpty(book)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active", "updated_at"])
    api_tokens_revoke_for_user(user=user)
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
