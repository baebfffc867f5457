"""Who sees and who may change which records — the one place that decides (SPEC §1).

A model joins by using ``VisibleQuerySet`` as its manager and declaring how its
rows reach an owner::

    class Deal(models.Model):
        visibility_owner_path = "owner"          # the default
        assistant_may_write = False              # the default

    class Contact(models.Model):
        visibility_owner_path = "client__owner"  # reaches its owner through the client
        assistant_may_write = True
        sdr_writable = Q(client__status="lead")  # SDRs work leads only; None: no SDR writes

Pages, API endpoints, exports and reports then call ``Model.objects.visible_to(user)``
and ``writable_by(user)`` / ``ensure_can_write(user, obj)`` and never repeat the rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User, team_ids_of
from accounts.roles import (
    OWN_SCOPE_ROLES,
    is_analyst,
    is_assistant,
    is_head,
    is_lead,
    is_sdr,
    is_usable,
    sees_everything,
    sees_only_own,
    sees_team,
)
from core.locks import lock_one

__all__ = [
    "VisibleQuerySet",
    "can_write",
    "ensure_can_write",
    "get_visible_or_404",
    "lock_writable",
    "may_own",
    "owner_path_of",
    "row_meets",
    "writable_pks",
    "sees_everything",
    "sees_only_own",
    "team_ids_of",
    "visibility_q",
    "writability_q",
]


def _own(owner_path: str, user) -> Q:
    return Q(**{f"{owner_path}_id": user.pk}) if "__" not in owner_path else Q(**{owner_path: user.pk})


def _team(owner_path: str, user) -> Q:
    return _own(owner_path, user) | Q(**{f"{owner_path}__team_id__in": team_ids_of(user)})


def team_member_ids(user) -> list[int]:
    """The people whose records a lead or assistant sees: themselves and their teams'
    members (one query, read each time: a team's people change)."""
    return sorted(User.objects.visible_to(user).values_list("pk", flat=True))


def visibility_q(user, owner_path: str = "owner", *, members_listed: bool = False) -> Q | None:
    """A filter selecting what ``user`` may see; None means everything.

    ``members_listed``: a team's visibility names its people (read first, one query) instead of
    reaching them through the teams' subquery. The same rows; for a list that reaches the
    owner through another table (contracts through their deals) PostgreSQL then reads the few
    owners' rows from the owner index, where through the subquery it expects half the
    department and reads every deal (a lead's contract count at department scale: 36-44 -> 11 ms)."""
    if not is_usable(user):
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    if sees_team(user):
        if members_listed:
            return Q(**{f"{owner_path}__in": team_member_ids(user)})
        return _team(owner_path, user)
    return _own(owner_path, user)


def writability_q(
    user, owner_path: str = "owner", assistant_may_write: bool = False, sdr_writable: Q | None = None
) -> Q | None:
    """A filter selecting what ``user`` may change; None means everything.

    An SDR changes only their own records that are still leads (``sdr_writable``, declared
    by the model); models that declare none (deals, payments) are read-only to SDRs."""
    if not is_usable(user) or is_analyst(user):
        return Q(pk__in=[])
    if is_head(user):
        return None
    if is_lead(user):
        return _team(owner_path, user)
    if sees_team(user):  # an assistant
        return _team(owner_path, user) if assistant_may_write else Q(pk__in=[])
    if is_sdr(user):
        return _own(owner_path, user) & sdr_writable if sdr_writable is not None else Q(pk__in=[])
    return _own(owner_path, user)


def owner_path_of(model) -> str:
    """How ``model``'s rows reach their owner (its ``visibility_owner_path``; "owner" by default)."""
    return getattr(model, "visibility_owner_path", "owner")


class VisibleQuerySet(models.QuerySet):
    def _owner_path(self) -> str:
        return owner_path_of(self.model)

    def visible_to(self, user, *, members_listed: bool = False):
        condition = visibility_q(user, self._owner_path(), members_listed=members_listed)
        return self if condition is None else self.filter(condition)

    def writable_by(self, user):
        condition = _model_writability_q(user, self.model)
        return self if condition is None else self.filter(condition)


def get_visible_or_404(queryset: VisibleQuerySet, user, **lookup):
    """The object if ``user`` may see it; a missing and a hidden object both give 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Not found.")) from None


def row_meets(user, instance: models.Model, condition: Q | None, owner_path: str = "owner") -> bool:
    """Whether ``instance`` meets ``condition``, one of ``user``'s :func:`visibility_q` or
    :func:`writability_q` for ``owner_path``, when the row itself tells: everything (None),
    or the user's own records (the row's ``<owner_path>_id``). False means "ask the
    database", not "no": a team's records, an SDR's leads and the like need other rows, and
    so does a row that is not saved or was read without its owner column.

    What ``user``'s rights are is decided by the functions above; this only reads the row
    for the two answers that need nothing else. It trusts the row as given: callers pass it
    only a row as it is now (``current=True`` below): one locked in the transaction
    (core.locks.lock_one's check), one the same function has just read, or one read to
    decide what a page offers (every write checks again)."""
    if instance.pk is None:
        return False
    if condition is None:
        return True
    if "__" in owner_path or condition != _own(owner_path, user):
        return False
    column = f"{owner_path}_id"
    if column not in instance.__dict__:  # deferred: reading it would be a query of its own
        return False
    return instance.__dict__[column] == user.pk


def can_write(user, instance: models.Model, *, current: bool = False) -> bool:
    """Whether ``user`` may change ``instance``. ``current``: the instance is the row as it
    is now (see :func:`row_meets`), so the head's and an owner's answer need no query;
    otherwise the database is asked, which also sees a row changed or deleted since."""
    model = type(instance)
    path = owner_path_of(model)
    if current and row_meets(user, instance, _model_writability_q(user, model), path):
        return True
    return model._default_manager.writable_by(user).filter(pk=instance.pk).exists()


def writable_pks(user, instances) -> set:
    """The pks of ``instances`` (of one model, as this request read them) that ``user`` may
    change, for what a page offers (a task's "done" button: the write checks again): read off
    the rows where they tell (:func:`row_meets`), the others asked in one query."""
    instances = list(instances)
    if not instances:
        return set()
    model = type(instances[0])
    path = owner_path_of(model)
    condition = _model_writability_q(user, model)
    writable = {row.pk for row in instances if row_meets(user, row, condition, path)}
    others = [row.pk for row in instances if row.pk not in writable]
    if others:
        writable.update(
            model._default_manager.writable_by(user).filter(pk__in=others).values_list("pk", flat=True)
        )
    return writable


def _model_writability_q(user, model) -> Q | None:
    return writability_q(
        user,
        owner_path_of(model),
        getattr(model, "assistant_may_write", False),
        getattr(model, "sdr_writable", None),
    )


def ensure_can_write(user, instance: models.Model, *, current: bool = False) -> None:
    """Raise Http404 when the user may not even see the record, PermissionDenied when
    they see it but may not change it. ``current``: the instance is the row as it is now,
    locked in this transaction (core.locks.lock_one's check) or just read: the head's and an
    owner's answer are read off it (:func:`row_meets`). Otherwise the database is asked, so a
    write from a row read earlier sees a reassignment or a deletion since."""
    model = type(instance)
    path = owner_path_of(model)
    if (
        current
        and row_meets(user, instance, visibility_q(user, path), path)
        and row_meets(user, instance, _model_writability_q(user, model), path)
    ):
        return
    manager = model._default_manager
    # One query when the answer is yes (every write's path): visible and writable at once.
    # Only a refusal asks again, to tell a hidden record (404) from a read-only one (403).
    if manager.visible_to(user).writable_by(user).filter(pk=instance.pk).exists():
        return
    if not manager.visible_to(user).filter(pk=instance.pk).exists():
        raise Http404(_("Not found."))
    raise PermissionDenied(_("You may not change this record."))


def may_own(user, owner, *, assistant_may_write: bool | None = None, model=None) -> bool:
    """May ``user`` create or hand over a record owned by ``owner``? Pass the ``model`` so its
    declarations apply (assistants and SDRs write only what the model allows)."""
    if assistant_may_write is None:
        assistant_may_write = bool(getattr(model, "assistant_may_write", False))
    if not is_usable(user) or owner is None or not owner.is_active:
        return False
    if is_sdr(user) and model is not None and getattr(model, "sdr_writable", None) is None:
        return False
    if is_head(user):
        return True
    if owner.pk == user.pk:
        return user.role in OWN_SCOPE_ROLES or is_lead(user) or assistant_may_write
    if is_lead(user) or (is_assistant(user) and assistant_may_write):
        return owner.team_id is not None and team_ids_of(user).filter(pk=owner.team_id).exists()
    return False


def lock_writable(user, instance: models.Model):
    """``instance``'s row locked until the transaction ends, for a write by ``user``: checked
    as the caller read it (404 hidden, PermissionDenied read-only), then again on the locked
    row, which is current, so the head's and an owner's answer are read off it
    (``ensure_can_write(..., current=True)``); a refusal there is a lost race (a Conflict)."""
    ensure_can_write(user, instance)
    manager = type(instance)._default_manager
    return lock_one(manager, pk=instance.pk, check=lambda row: ensure_can_write(user, row, current=True))
