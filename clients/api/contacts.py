"""/api/v1/contacts/: the people at the clients one sees, and merging them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.saved_views import SavedViewFilter
from clients import selectors, services
from clients.api.common import MayChangeObject, _reject_move
from clients.api.merging import MERGED_AWAY, ContactMergeSerializer, MergeMixin
from clients.filters import ContactFilter
from clients.models import Client, Contact
from core.api import (
    CONFLICT,
    IF_MATCH,
    PRECONDITION_FAILED,
    VersionedDetail,
    VisibleRelatedField,
    expected_version,
)


class ContactSerializer(serializers.ModelSerializer):
    client = VisibleRelatedField(Client, help_text=_("Set on creation; a contact does not move."))
    client_name = serializers.CharField(source="client.name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "client_name",
            "name",
            "position",
            "phone",
            "email",
            "is_decision_maker",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: ContactSerializer, **MERGED_AWAY}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: ContactSerializer, **PRECONDITION_FAILED}),
    partial_update=extend_schema(
        parameters=[IF_MATCH], responses={200: ContactSerializer, **PRECONDITION_FAILED}
    ),
)
class ContactViewSet(VersionedDetail, MergeMixin, viewsets.ModelViewSet):
    """People at the clients you may see. Assistants keep their team's contacts."""

    serializer_class = ContactSerializer
    permission_classes = [IsAuthenticated, MayChangeObject]
    filter_backends = [SavedViewFilter, DjangoFilterBackend]
    filterset_class = ContactFilter
    queryset_model = Contact
    merge_serializer = ContactMergeSerializer
    merge_service = staticmethod(services.contact_merge)
    merged_message = _("Contact #%(id)s was merged into contact #%(survivor)s.")

    @extend_schema(request=ContactMergeSerializer, responses={200: ContactSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="merge", url_name="merge", filter_backends=[])
    def merge(self, request, pk=None):
        """Merge the contact `duplicate` (of this client or another) into this one: its
        activities, tasks and proposals name this contact, `fields` says whose value wins, and
        the duplicate is deleted (its id then answers 410 with `merged_into`)."""
        survivor = self._merge(request)
        return Response(self.get_serializer(self.get_queryset().get(pk=survivor.pk)).data)

    def get_queryset(self):
        return selectors.contact_list(viewer=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        contact = self.get_object()
        serializer = self.get_serializer(contact, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        _reject_move(serializer, contact, "client", _("A contact cannot move to another client."))
        contact = services.contact_update(
            by=request.user, contact=contact, shown=expected_version(request), **serializer.validated_data
        )
        return Response(self.get_serializer(contact).data)

    def destroy(self, request, *args, **kwargs):
        services.contact_delete(by=request.user, contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
