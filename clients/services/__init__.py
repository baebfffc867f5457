"""Every write to clients, contacts and activities goes through here.

The package is split by sub-domain (clients, contacts, activities, imports, and the checks
they share); the public names stay importable from ``clients.services``. The write rules
(who may add, reassign, hand over, keep records) live in ``clients.rules`` and are
re-exported here for callers that still import them from the services."""

from django.core.exceptions import ValidationError

from clients.rules import (
    assignable_owner_check,
    client_records_writability_q,
    ensure_can_add_clients,
    ensure_can_hand_over,
    ensure_can_reassign,
    ensure_can_write_client_records,
    may_hand_over,
    may_reassign,
)
from clients.services.activities import (
    ACTIVITY_FIELDS,
    MAX_ACTIVITY_MINUTES,
    MAX_OUTCOME_LENGTH,
    activity_delete,
    activity_log,
    activity_update,
)
from clients.services.checks import (
    client_duplicate_of,
    duplicate_message,
    name_key,
    same_company,
    tax_id_clean,
)
from clients.services.clients import (
    CLIENT_DETAIL_FIELDS,
    client_create,
    client_delete,
    client_hand_over,
    client_reassign,
    client_status_move,
    client_update,
    client_won,
    hand_over_candidates,
)
from clients.services.contacts import CONTACT_FIELDS, contact_create, contact_delete, contact_update
from clients.services.day import day_settings_of, day_settings_update, feed_rotate
from clients.services.imports import ClientImportResult, ImportIssue, client_import
from clients.services.merge import (
    CLIENT_MERGE_FIELDS,
    CONTACT_MERGE_FIELDS,
    MergeOutcome,
    client_merge,
    contact_merge,
)
from clients.services.tasks import (
    SNOOZE_CHOICES,
    TASK_FIELDS,
    activity_log_with_next_task,
    snooze_date,
    task_cancel,
    task_complete,
    task_create,
    task_delete,
    task_snooze,
    task_update,
)

__all__ = [
    "CLIENT_MERGE_FIELDS",
    "CONTACT_MERGE_FIELDS",
    "MergeOutcome",
    "client_merge",
    "contact_merge",
    "ACTIVITY_FIELDS",
    "CLIENT_DETAIL_FIELDS",
    "CONTACT_FIELDS",
    "MAX_ACTIVITY_MINUTES",
    "MAX_OUTCOME_LENGTH",
    "ClientImportResult",
    "ImportIssue",
    "ValidationError",
    "activity_delete",
    "activity_log",
    "activity_update",
    "assignable_owner_check",
    "client_create",
    "client_delete",
    "client_won",
    "client_duplicate_of",
    "client_hand_over",
    "client_import",
    "client_reassign",
    "client_records_writability_q",
    "client_status_move",
    "client_update",
    "contact_create",
    "contact_delete",
    "contact_update",
    "duplicate_message",
    "ensure_can_add_clients",
    "ensure_can_hand_over",
    "ensure_can_reassign",
    "ensure_can_write_client_records",
    "hand_over_candidates",
    "may_hand_over",
    "may_reassign",
    "name_key",
    "same_company",
    "tax_id_clean",
    "SNOOZE_CHOICES",
    "TASK_FIELDS",
    "activity_log_with_next_task",
    "snooze_date",
    "task_cancel",
    "task_complete",
    "task_create",
    "task_delete",
    "task_snooze",
    "task_update",
    "day_settings_of",
    "day_settings_update",
    "feed_rotate",
]
