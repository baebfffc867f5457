"""The client and task lists' bulk actions (core.bulk), registered in ClientsConfig.ready().

Each row goes through the single action's service: ``client_reassign``, ``client_update``
(the tier), ``client_status_move``; ``task_update`` (owner, due date) and ``task_complete``."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from clients import rules, selectors, services
from clients.filters import ClientFilter, TaskFilter
from clients.models import Client, ClientStatus, Task, Tier
from clients.tables import ClientTable
from core.bulk import BulkAction, BulkResource, register


class PersonField(serializers.IntegerField):
    """A person the requesting user (``context["user"]``) sees; anyone else reads as nobody."""

    default_error_messages = {"nobody": _("Choose an active person you may see.")}

    def __init__(self, *, options=None, **kwargs):
        self.options = options
        super().__init__(**kwargs)

    def options_for(self, user):
        """The people a page offers (the API takes any id and checks it)."""
        return self.options(user) if self.options else User.objects.none()

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        if not 0 < pk < 2**63:
            self.fail("nobody")
        person = User.objects.visible_to(self.context["user"]).filter(pk=pk, is_active=True).first()
        if person is None:
            self.fail("nobody")
        return person


def _service_errors(error: DjangoValidationError, field: str):
    if hasattr(error, "error_dict"):
        messages = [str(m) for values in error.message_dict.values() for m in values]
    else:
        messages = [str(m) for m in error.messages]
    return serializers.ValidationError({field: messages})


class ClientOwnerParams(serializers.Serializer):
    owner = PersonField(
        label=_("Owner"),
        help_text="The new owner's id.",
        options=lambda user: rules.assignable_owners(viewer=user),
    )

    def validate_owner(self, owner):
        try:
            rules.assignable_owner_check(by=self.context["user"], owner=owner)
        except DjangoValidationError as error:
            raise _service_errors(error, "owner").detail["owner"] from None
        return owner


class TierParams(serializers.Serializer):
    tier = serializers.ChoiceField(choices=Tier.choices, label=_("Tier"))


class StatusParams(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClientStatus.choices, label=_("Status"))


class TaskOwnerParams(serializers.Serializer):
    owner = PersonField(
        label=_("Owner"),
        help_text="The new owner's id.",
        options=lambda user: rules.task_assignees(viewer=user),
    )

    def validate_owner(self, owner):
        if not rules.task_assignees(viewer=self.context["user"]).filter(pk=owner.pk).exists():
            raise serializers.ValidationError(_("You may not give tasks to this person."))
        return owner


class CompleteParams(serializers.Serializer):
    outcome = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", label=_("Outcome")
    )


class RescheduleParams(serializers.Serializer):
    due_date = serializers.DateField(label=_("Due date"))


def _client_reassign(*, by, record, params):
    services.client_reassign(by=by, client=record, owner=params["owner"])


def _client_tier(*, by, record, params):
    services.client_update(by=by, client=record, tier=params["tier"])


def _client_status(*, by, record, params):
    if record.status != params["status"]:
        services.client_status_move(by=by, client=record, status=params["status"])


def _task_reassign(*, by, record, params):
    services.task_update(by=by, task=record, owner=params["owner"])


def _task_complete(*, by, record, params):
    services.task_complete(by=by, task=record, outcome=params.get("outcome", ""))


def _task_reschedule(*, by, record, params):
    services.task_update(by=by, task=record, due_date=params["due_date"])


def _changes_clients(user) -> bool:
    """Those who keep clients (owners, their leads, the head) are offered the tier and status."""
    return rules.may_add_clients(user) or rules.may_reassign(user)


CLIENTS = BulkResource(
    name="clients",
    label=_("clients"),
    rows=lambda user: Client.objects.visible_to(user),
    list_rows=lambda request: selectors.client_list(viewer=request.user),
    filterset=ClientFilter,
    table=ClientTable,
)
CLIENTS.add(
    BulkAction(
        name="reassign",
        label=_("Reassign"),
        apply=_client_reassign,
        params=ClientOwnerParams,
        allowed=rules.may_reassign,
    )
)
CLIENTS.add(
    BulkAction(
        name="set_tier",
        label=_("Change tier"),
        apply=_client_tier,
        params=TierParams,
        allowed=_changes_clients,
    )
)
CLIENTS.add(
    BulkAction(
        name="set_status",
        label=_("Change status"),
        apply=_client_status,
        params=StatusParams,
        allowed=_changes_clients,
    )
)

TASKS = BulkResource(
    name="tasks",
    label=_("tasks"),
    rows=lambda user: Task.objects.visible_to(user),
    list_rows=lambda request: selectors.task_list(viewer=request.user),
    filterset=TaskFilter,
)
TASKS.add(
    BulkAction(
        name="reassign",
        label=_("Reassign"),
        apply=_task_reassign,
        params=TaskOwnerParams,
        allowed=rules.may_do_tasks,
    )
)
TASKS.add(
    BulkAction(
        name="complete",
        label=_("Complete"),
        apply=_task_complete,
        params=CompleteParams,
        allowed=rules.may_do_tasks,
    )
)
TASKS.add(
    BulkAction(
        name="reschedule",
        label=_("Reschedule"),
        apply=_task_reschedule,
        params=RescheduleParams,
        allowed=rules.may_do_tasks,
    )
)


def register_bulk_actions() -> None:
    register(CLIENTS)
    register(TASKS)
