"""/api/v1/clients/, /api/v1/contacts/, /api/v1/activities/ and the client import, by
sub-domain: .clients, .contacts, .activities, merging duplicates (.merging) and what they
share (.common). Every name stays importable from clients.api.

Serializers check types and references; the services decide and write."""

from clients.api.activities import ActivitySerializer, ActivityViewSet
from clients.api.clients import (
    ClientDetailSerializer,
    ClientSerializer,
    ClientViewSet,
    ContactBriefSerializer,
    HandOverResultSerializer,
    HandOverSerializer,
)
from clients.api.common import BoundedDateTimeField, MayChangeObject, VisibleStaffField
from clients.api.contacts import ContactSerializer, ContactViewSet
from clients.api.merging import (
    MERGED_AWAY,
    ClientMergeSerializer,
    ContactMergeSerializer,
    MergedAway,
    MergedAwaySerializer,
    MergeFieldsField,
    MergeMixin,
    MergeRequestSerializer,
)

__all__ = [
    "ActivitySerializer",
    "ActivityViewSet",
    "BoundedDateTimeField",
    "ClientDetailSerializer",
    "ClientMergeSerializer",
    "ClientSerializer",
    "ClientViewSet",
    "ContactBriefSerializer",
    "ContactMergeSerializer",
    "ContactSerializer",
    "ContactViewSet",
    "HandOverResultSerializer",
    "HandOverSerializer",
    "MERGED_AWAY",
    "MayChangeObject",
    "MergeFieldsField",
    "MergeMixin",
    "MergeRequestSerializer",
    "MergedAway",
    "MergedAwaySerializer",
    "VisibleStaffField",
]
