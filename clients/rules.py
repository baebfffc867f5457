"""Who may do what with clients, their contacts and activities.

Services, views, forms, serializers and selectors ask these; none of them compares roles
itself. Role sets and predicates come from accounts.roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import (
    CLIENT_OWNER_ROLES,
    OWN_SCOPE_ROLES,
    Role,
    has_role,
    is_analyst,
    is_head,
    is_lead,
    is_manager,
    is_sdr,
    is_usable,
    may_own_clients,
    sees_team,
)
from accounts.visibility import (
    can_write,
    ensure_can_write,
    get_visible_or_404,
    may_own,
    row_meets,
    team_ids_of,
    writability_q,
)
from clients.models import Activity, Client, ClientStatus, Contact, Task

# --------------------------------------------------------------------------- creating and owning


def may_add_clients(user: User) -> bool:
    """Assistants and analysts see clients but never create them."""
    return may_own(user, user, model=Client)


def ensure_can_add_clients(user: User) -> None:
    if not may_add_clients(user):
        raise PermissionDenied(_("You may not create clients."))


def assignable_owner_check(*, by: User, owner: User | None) -> None:
    """ValidationError on ``owner`` unless ``by`` may give a client to ``owner``. Names the
    person only when ``by`` may see them: a hidden colleague reads like nobody at all."""
    if owner is not None and not User.objects.visible_to(by).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose someone you may assign clients to.")})
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": _("Choose an active member of staff.")})
    if not may_own_clients(owner):
        raise ValidationError({"owner": _("%(name)s cannot own clients.") % {"name": owner.full_name}})
    if not may_own(by, owner, model=Client):
        raise ValidationError(
            {"owner": _("You may not assign clients to %(name)s.") % {"name": owner.full_name}}
        )


def assignable_owners(*, viewer: User) -> QuerySet[User]:
    """The people ``viewer`` may give a client to: the head anyone who sells, a lead their
    team's sellers (and themselves), everybody else only themselves."""
    people = User.objects.filter(is_active=True, role__in=CLIENT_OWNER_ROLES).select_related("team")
    if is_head(viewer):
        return people
    if is_lead(viewer):
        return people.filter(Q(pk=viewer.pk) | Q(team_id__in=team_ids_of(viewer)))
    if has_role(viewer, *OWN_SCOPE_ROLES):
        return people.filter(pk=viewer.pk)
    return people.none()


# --------------------------------------------------------------------------- reassigning and handing over


def may_reassign(user: User) -> bool:
    """Handing clients over is a manager's decision: a lead (within the team) or the head."""
    return is_manager(user)


def ensure_can_reassign(user: User, client: Client) -> None:
    """404 when the client is hidden, PermissionDenied unless ``user`` may hand it over."""
    ensure_can_write(user, client)
    if not may_reassign(user):
        raise PermissionDenied(_("Only a team lead or the head of sales may reassign clients."))


def may_hand_over(user: User) -> bool:
    """An SDR hands their own qualified leads over; their team lead and the head may too."""
    return is_sdr(user) or may_reassign(user)


def may_hand_over_outside_teams(user: User) -> bool:
    """A lead owned by someone without a team may go to any rep or account manager: only
    the head decides that."""
    return is_head(user)


def ensure_can_hand_over(user: User, client: Client) -> None:
    """404 when the client is hidden, PermissionDenied unless ``user`` may hand it over."""
    ensure_can_write(user, client)
    if not may_hand_over(user):
        raise PermissionDenied(_("Only an SDR, their team lead or the head hands a lead over."))


# --------------------------------------------------------------------------- contacts and activities


def client_records_writability_q(user: User):
    """The clients whose contacts and activities ``user`` may keep, as a filter on Client
    (None: all). Contacts and activities declare who writes them; this reads their rule
    from the client's side."""
    return writability_q(
        user,
        "owner",
        assistant_may_write=Activity.assistant_may_write,
        sdr_writable=Client.sdr_writable,
    )


def may_write_client_records(user: User, client: Client, *, current: bool = False) -> bool:
    """Whether ``user`` may keep the client's contacts and activities. ``current``: the client
    is the row as it is now (just read, or read for what a page offers), so the head's and the
    owner's answer need no query (accounts.visibility.row_meets)."""
    condition = client_records_writability_q(user)
    if current and row_meets(user, client, condition):
        return True
    writable = Client.objects.filter(pk=client.pk)
    if condition is not None:
        writable = writable.filter(condition)
    return writable.exists()


def ensure_can_write_client_records(user: User, client: Client) -> Client:
    """Contacts and activities follow their client, and assistants may keep them for their
    team: 404 when the client is hidden from ``user``, PermissionDenied when read-only."""
    client = get_visible_or_404(Client.objects.all(), user, pk=client.pk)
    if not may_write_client_records(user, client, current=True):  # the row just read
        raise PermissionDenied(_("You may not change this client's contacts and activities."))
    return client


# --------------------------------------------------------------------------- the client page's flags


@dataclass
class ClientPermissions:
    change: bool  # details, deletion
    records: bool  # contacts and activities
    reassign: bool
    move_status: bool = False  # lead → prospect → customer → former
    hand_over: bool = False  # a qualified lead to a rep (SDRs, and their lead or the head)
    merge: bool = False  # merge a duplicate (client or contact) into this client's records


def client_permissions(*, viewer: User, client: Client) -> ClientPermissions:
    # What the page offers, for the client as this request read it (every write checks again).
    change = can_write(viewer, client, current=True)
    records = change or may_write_client_records(viewer, client, current=True)
    # An SDR moves a lead on by handing it over; a status move would take it out of their hands.
    sdr = is_sdr(viewer)
    return ClientPermissions(
        change=change,
        records=records,
        reassign=change and may_reassign(viewer),
        merge=change and may_merge(viewer),
        move_status=change and not sdr,
        hand_over=(
            change
            and client.status == ClientStatus.LEAD
            and may_hand_over(viewer)
            # The owner's role as recorded, active or not: a departed SDR's lead is handed over too.
            and (sdr or client.owner.role == Role.SDR)
        ),
    )


# --------------------------------------------------------------------------- tasks


def may_do_tasks(user: User) -> bool:
    """Everybody who works clients may hold a task; an analyst only reads."""
    return is_usable(user) and not is_analyst(user)


def task_owner_check(*, by: User, owner: User, client: Client) -> None:
    """ValidationError on ``owner`` unless ``by`` may give a task on ``client`` to ``owner``:
    themselves, a lead or an assistant anyone of their team, the head anybody; and the owner
    must see the client. A hidden colleague reads like nobody at all."""
    if owner is None or not User.objects.visible_to(by).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose someone you may give tasks to.")})
    if not owner.is_active or not may_do_tasks(owner):
        raise ValidationError({"owner": _("Choose an active member of staff who works clients.")})
    if not may_own(by, owner, model=Task):
        raise ValidationError({"owner": _("You may not give tasks to %(name)s.") % {"name": owner.full_name}})
    if not Client.objects.visible_to(owner).filter(pk=client.pk).exists():
        raise ValidationError({"owner": _("%(name)s does not see this client.") % {"name": owner.full_name}})


def task_assignees(*, viewer: User) -> QuerySet[User]:
    """The people ``viewer`` may give a task to (before the client's check): the head anyone
    who works clients, a lead and an assistant their team, everybody else only themselves."""
    people = User.objects.filter(is_active=True).exclude(role=Role.ANALYST).select_related("team")
    if not may_do_tasks(viewer):
        return people.none()
    if is_head(viewer):
        return people
    if sees_team(viewer):
        return people.filter(Q(pk=viewer.pk) | Q(team_id__in=team_ids_of(viewer)))
    return people.filter(pk=viewer.pk)


def may_delete_task(user: User, task: Task) -> bool:
    """A task is deleted by its owner, their lead or the head (an assistant cancels)."""
    if not can_write(user, task):
        return False
    return task.owner_id == user.pk or is_manager(user)


def ensure_can_delete_task(user: User, task: Task) -> None:
    ensure_can_write(user, task)
    if not may_delete_task(user, task):
        raise PermissionDenied(_("Only the task's owner, their team lead or the head deletes a task."))


@dataclass
class TaskPermissions:
    change: bool  # edit, complete, snooze, cancel
    delete: bool


def task_permissions(*, viewer: User, task: Task) -> TaskPermissions:
    change = can_write(viewer, task)
    return TaskPermissions(
        change=change, delete=change and (task.owner_id == viewer.pk or is_manager(viewer))
    )


# --------------------------------------------------------------------------- merging duplicates


def may_merge(user: User) -> bool:
    """Merging duplicates is a manager's correction: the head anywhere, a lead within the
    team. Reps, SDRs, assistants and analysts do not merge."""
    return is_manager(user)


def may_merge_record(user: User, record: Client | Contact) -> bool:
    """Whether ``user`` may merge ``record`` (a client or a contact) with another: a lead
    only records of the team they may change, the head any."""
    return may_merge(user) and can_write(user, record)


def ensure_can_merge(user: User, *records: Client | Contact) -> None:
    """404 when a record is hidden, PermissionDenied unless ``user`` may merge every one."""
    for record in records:
        ensure_can_write(user, record)
    if not may_merge(user):
        raise PermissionDenied(_("Only a team lead or the head of sales may merge duplicates."))
