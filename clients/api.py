"""/api/v1/clients/, /api/v1/contacts/, /api/v1/activities/ and the client import.

Serializers check types and references; the services decide and write."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import Territory, User
from accounts.saved_views import SavedViewFilter
from accounts.visibility import can_write
from clients import rules, selectors, services
from clients.duplicates import merged_into
from clients.filters import ActivityFilter, ClientFilter, ContactFilter
from clients.models import Activity, Client, Contact, Industry
from core.api import CONFLICT, VisibleRelatedField
from core.bulk_api import BulkActionMixin
from core.filters import check_date_in_range


class MayChangeObject(BasePermission):
    """Reading follows visibility (the queryset); changing a visible record needs write
    access, else 403 — decided by accounts.visibility, like everywhere else."""

    message = _("You may not change this record.")

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or can_write(request.user, obj)


# --------------------------------------------------------------------------- serializers


class ContactBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "position", "phone", "email", "is_decision_maker", "notes", "updated_at"]


class BoundedDateTimeField(serializers.DateTimeField):
    """A datetime in the years the database and time-zone arithmetic handle (1900–9998):
    year 1 is a 400, not an OverflowError."""

    def to_internal_value(self, value):
        try:
            result = super().to_internal_value(value)
        except OverflowError:  # parsed, but too early or late to shift into a time zone
            result = datetime.datetime.min
        try:
            check_date_in_range(result)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return result


@extend_schema_field(OpenApiTypes.INT)
class VisibleStaffField(serializers.PrimaryKeyRelatedField):
    """An active member of staff the requesting user sees; anyone else reads as "does not
    exist", exactly like a made-up id (no name of a hidden person comes back)."""

    def get_queryset(self):
        return User.objects.visible_to(self.context["request"].user).filter(is_active=True)


class ClientSerializer(serializers.ModelSerializer):
    owner = VisibleStaffField(
        required=False,
        help_text=_("Defaults to you. Only a lead (own team) or the head may set someone else."),
    )
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    team = serializers.IntegerField(source="owner.team_id", read_only=True, allow_null=True)
    tax_id = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=32,
        help_text=_("Stored normalised: upper-case letters and digits only."),
    )
    industry = serializers.PrimaryKeyRelatedField(
        queryset=Industry.objects.all(), required=False, allow_null=True
    )
    industry_name = serializers.CharField(
        source="industry.name", read_only=True, default=None, allow_null=True
    )
    territory = serializers.PrimaryKeyRelatedField(
        queryset=Territory.objects.all(), required=False, allow_null=True
    )
    territory_name = serializers.CharField(
        source="territory.name", read_only=True, default=None, allow_null=True
    )
    last_activity_at = serializers.DateTimeField(read_only=True, allow_null=True)
    move_open_work = serializers.BooleanField(
        write_only=True,
        required=False,
        default=True,
        help_text=_(
            "When `owner` changes: the previous owner's open deals and open tasks on this client "
            "move to the new owner too (default true)."
        ),
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "legal_name",
            "tax_id",
            "industry",
            "industry_name",
            "segment",
            "territory",
            "territory_name",
            "tier",
            "status",
            "source",
            "owner",
            "owner_name",
            "team",
            "owner_assigned_at",
            "owner_assigned_by",
            "phone",
            "website",
            "address",
            "notes",
            "last_activity_at",
            "created_at",
            "updated_at",
            "move_open_work",
        ]
        read_only_fields = ["owner_assigned_at", "owner_assigned_by", "created_at", "updated_at"]
        validators: list = []  # uniqueness of the normalised tax id is the service's to check


class ClientDetailSerializer(ClientSerializer):
    contacts = ContactBriefSerializer(many=True, read_only=True)

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "contacts"]


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


class ActivitySerializer(serializers.ModelSerializer):
    client = VisibleRelatedField(Client, help_text=_("Set on creation; an activity does not move."))
    client_name = serializers.CharField(source="client.name", read_only=True)
    contact = VisibleRelatedField(Contact, required=False, allow_null=True)
    deal = VisibleRelatedField("deals.Deal", required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True, help_text=_("Who logged it."))
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    occurred_at = BoundedDateTimeField(required=False, help_text=_("Defaults to now."))

    class Meta:
        model = Activity
        fields = [
            "id",
            "client",
            "client_name",
            "kind",
            "direction",
            "contact",
            "deal",
            "owner",
            "owner_name",
            "occurred_at",
            "duration_minutes",
            "outcome",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class HandOverSerializer(serializers.Serializer):
    to = VisibleStaffField(help_text=_("An active rep or account manager of the lead's team."))


class HandOverResultSerializer(serializers.ModelSerializer):
    """What changed. Not the whole client: an SDR no longer sees a lead they handed over."""

    class Meta:
        model = Client
        fields = ["id", "status", "owner", "owner_assigned_at", "owner_assigned_by"]
        read_only_fields = fields


class MergeFieldsField(serializers.DictField):
    child = serializers.ChoiceField(choices=["survivor", "duplicate"])


class MergeRequestSerializer(serializers.Serializer):
    fields = MergeFieldsField(
        required=False,
        default=dict,
        help_text=_(
            'Which side\'s value wins, per field: "survivor" or "duplicate". A field not named keeps '
            "the survivor's value, or takes the duplicate's where the survivor has none."
        ),
    )


class ClientMergeSerializer(MergeRequestSerializer):
    duplicate = VisibleRelatedField(Client, help_text=_("The client merged into this one and deleted."))


class ContactMergeSerializer(MergeRequestSerializer):
    duplicate = VisibleRelatedField(Contact, help_text=_("The contact merged into this one and deleted."))


class MergedAwaySerializer(serializers.Serializer):
    detail = serializers.CharField()
    merged_into = serializers.IntegerField(help_text=_("The surviving record's id."))
    url = serializers.URLField(help_text=_("The surviving record's API address."))


MERGED_AWAY = {
    410: OpenApiResponse(
        response=MergedAwaySerializer,
        description=_(
            "The record was merged into another one (a merge of duplicates): re-link to `merged_into`. "
            "Answered only when the caller sees the survivor; otherwise 404."
        ),
    )
}


class MergedAway(Exception):
    """The requested record was merged into ``survivor_id``: answered 410 with a pointer."""

    def __init__(self, *, survivor_id: int, message: str):
        self.survivor_id = survivor_id
        self.message = message
        super().__init__(message)


class MergeMixin:
    """``POST {id}/merge/`` and the 410 pointer of a merged-away id, for clients and contacts."""

    merge_serializer: type[serializers.Serializer]
    merge_service = None
    merged_message = ""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            survivor_id = merged_into(viewer=self.request.user, model=self.queryset_model, pk=pk)
            if survivor_id is None:
                raise
            raise MergedAway(
                survivor_id=survivor_id, message=self.merged_message % {"id": pk, "survivor": survivor_id}
            ) from None

    def handle_exception(self, exc):
        if isinstance(exc, MergedAway):
            url = self.request.build_absolute_uri(
                reverse(f"{self.basename}-detail", kwargs={"pk": exc.survivor_id})
            )
            body = {"detail": exc.message, "merged_into": exc.survivor_id, "url": url}
            return Response(body, status=status.HTTP_410_GONE)
        return super().handle_exception(exc)

    def _merge(self, request):
        survivor = self.get_object()
        serializer = self.merge_serializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        outcome = type(self).merge_service(
            by=request.user,
            survivor=survivor,
            duplicate=serializer.validated_data["duplicate"],
            fields=serializer.validated_data["fields"],
        )
        return outcome.survivor


def _reject_move(serializer, instance, field: str, message) -> None:
    new = serializer.validated_data.pop(field, None)
    if new is not None and new.pk != getattr(instance, f"{field}_id"):
        raise serializers.ValidationError({field: [message]})


# --------------------------------------------------------------------------- viewsets


@extend_schema_view(
    retrieve=extend_schema(responses={200: ClientDetailSerializer, **MERGED_AWAY}),
)
class ClientViewSet(MergeMixin, BulkActionMixin, viewsets.ModelViewSet):
    """Clients you may see. Filters, `search` and `ordering` are those of the client list
    page. Changing `owner` reassigns (leads within their team, the head anywhere);
    changing `status` moves along lead → prospect → customer → former."""

    permission_classes = [IsAuthenticated, MayChangeObject]
    filter_backends = [SavedViewFilter, DjangoFilterBackend]
    filterset_class = ClientFilter
    queryset_model = Client
    merge_serializer = ClientMergeSerializer
    merge_service = staticmethod(services.client_merge)
    merged_message = _("Client #%(id)s was merged into client #%(survivor)s.")
    bulk_resource = "clients"

    def get_queryset(self):
        queryset = selectors.client_list(viewer=self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("contacts", queryset=Contact.objects.order_by("-is_decision_maker", "name", "pk"))
            )
        return queryset

    def get_serializer_class(self):
        return ClientSerializer if self.action == "list" else ClientDetailSerializer

    def _detail(self, client: Client) -> dict:
        fresh = self.get_queryset().get(pk=client.pk)
        return ClientDetailSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        rules.ensure_can_add_clients(request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.validated_data.pop("move_open_work", None)
        client = services.client_create(by=request.user, **serializer.validated_data)
        return Response(self._detail(client), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        client = self.get_object()
        serializer = self.get_serializer(client, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        client = services.client_update(by=request.user, client=client, **serializer.validated_data)
        return Response(self._detail(client))

    def destroy(self, request, *args, **kwargs):
        services.client_delete(by=request.user, client=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ClientMergeSerializer, responses={200: ClientDetailSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="merge", url_name="merge", filter_backends=[])
    def merge(self, request, pk=None):
        """Merge the client `duplicate` into this one (head anywhere, a lead within the team):
        its contacts, deals (with their facts, installments, payments, contracts, proposals),
        activities, tasks, files and requests move here, `fields` says whose value wins, and
        the duplicate is deleted. Its id then answers 410 with `merged_into`, and
        `/api/v1/deletions/` lists it with `merged_into`. Answers this client's detail."""
        survivor = self._merge(request)
        return Response(self._detail(survivor))

    @extend_schema(request=HandOverSerializer, responses={200: HandOverResultSerializer, **CONFLICT})
    @action(
        detail=True,
        methods=["post"],
        url_path="hand-over",
        url_name="hand-over",
        permission_classes=[IsAuthenticated],
        filter_backends=[],
    )
    def hand_over(self, request, pk=None):
        """An SDR hands a qualified lead over to a rep or account manager of the team
        (`{"to": user_id}`): the rep owns it from now on, as a prospect."""
        client = self.get_object()
        rules.ensure_can_hand_over(request.user, client)
        serializer = HandOverSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        client = services.client_hand_over(client=client, to=serializer.validated_data["to"], by=request.user)
        return Response(HandOverResultSerializer(client).data)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer("ClientImportRequest", {"file": serializers.FileField()})
        },
        responses={
            201: inline_serializer("ClientImportCreated", {"created": serializers.IntegerField()}),
            400: OpenApiResponse(
                inline_serializer(
                    "ClientImportErrors",
                    {
                        "errors": inline_serializer(
                            "ClientImportError",
                            {
                                "row": serializers.IntegerField(allow_null=True),
                                "field": serializers.CharField(),
                                "message": serializers.CharField(),
                            },
                            many=True,
                        )
                    },
                ),
                description=_("Every problem found; nothing was written."),
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_file(self, request):
        """Import clients from a CSV or XLSX file (multipart field `file`; columns as in the
        page's template). All rows or nothing: 201 with the number created, or 400 listing
        every bad row."""
        rules.ensure_can_add_clients(request.user)
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"errors": [{"row": None, "field": "file", "message": str(_("Attach the file as “file”."))}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        result = services.client_import(by=request.user, file=upload)
        if not result.ok:
            return Response(
                {"errors": [asdict(issue) for issue in result.errors]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response({"created": len(result.created)}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(responses={200: ContactSerializer, **MERGED_AWAY}),
)
class ContactViewSet(MergeMixin, viewsets.ModelViewSet):
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
        contact = services.contact_update(by=request.user, contact=contact, **serializer.validated_data)
        return Response(self.get_serializer(contact).data)

    def destroy(self, request, *args, **kwargs):
        services.contact_delete(by=request.user, contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityViewSet(viewsets.ModelViewSet):
    """Calls, meetings, e-mails, visits and notes on the clients you may see. The one who
    logs an activity owns it. What comes next is a task (/api/v1/tasks/)."""

    serializer_class = ActivitySerializer
    permission_classes = [IsAuthenticated, MayChangeObject]
    filter_backends = [SavedViewFilter, DjangoFilterBackend]
    filterset_class = ActivityFilter

    def get_queryset(self):
        return selectors.activity_list(viewer=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = services.activity_log(by=request.user, **serializer.validated_data)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        _reject_move(serializer, activity, "client", _("An activity cannot move to another client."))
        activity = services.activity_update(by=request.user, activity=activity, **serializer.validated_data)
        return Response(self.get_serializer(activity).data)

    def destroy(self, request, *args, **kwargs):
        services.activity_delete(by=request.user, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
