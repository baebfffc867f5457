"""The clients app's models, by sub-domain: clients (and the normalisation duplicate detection
rests on) in .clients, contacts in .contacts, activities in .activities, tasks and day
settings in .tasks. Every name stays importable from clients.models."""

from clients.models.activities import Activity, ActivityKind, ActivityQuerySet, Direction
from clients.models.clients import (
    LEGAL_FORMS,
    STATUS_MOVES,
    Client,
    ClientQuerySet,
    ClientStatus,
    Industry,
    Segment,
    Source,
    Tier,
    normalize_name,
    normalize_tax_id,
)
from clients.models.contacts import Contact, ContactQuerySet
from clients.models.tasks import (
    OUTCOME_REQUIRED_KINDS,
    TASK_ACTIVITY_KIND,
    DaySettings,
    Task,
    TaskKind,
    TaskQuerySet,
    TaskStatus,
    new_feed_token,
)

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityQuerySet",
    "Client",
    "ClientQuerySet",
    "ClientStatus",
    "Contact",
    "ContactQuerySet",
    "DaySettings",
    "Direction",
    "Industry",
    "LEGAL_FORMS",
    "OUTCOME_REQUIRED_KINDS",
    "STATUS_MOVES",
    "Segment",
    "Source",
    "TASK_ACTIVITY_KIND",
    "Task",
    "TaskKind",
    "TaskQuerySet",
    "TaskStatus",
    "Tier",
    "new_feed_token",
    "normalize_name",
    "normalize_tax_id",
]
