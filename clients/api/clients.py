"""/api/v1/clients/: clients, an SDR's hand-over of a lead, merging and the client import.

Serializers check types and references; the services decide and write."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Territory
from accounts.saved_views import SavedViewFilter
from clients import rules, selectors, services
from clients.api.common import MayChangeObject, VisibleStaffField
from clients.api.merging import MERGED_AWAY, ClientMergeSerializer, MergeMixin
from clients.filters import ClientFilter
from clients.models import Client, Contact, Industry
from core.api import CONFLICT, IF_MATCH, PRECONDITION_FAILED, VersionedDetail, expected_version
from core.bulk_api import BulkActionMixin


class ContactBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "position", "phone", "email", "is_decision_maker", "notes", "updated_at"]


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


class HandOverSerializer(serializers.Serializer):
    to = VisibleStaffField(help_text=_("An active rep or account manager of the lead's team."))


class HandOverResultSerializer(serializers.ModelSerializer):
    """What changed. Not the whole client: an SDR no longer sees a lead they handed over."""

    class Meta:
        model = Client
        fields = ["id", "status", "owner", "owner_assigned_at", "owner_assigned_by"]
        read_only_fields = fields


@extend_schema_view(
    retrieve=extend_schema(responses={200: ClientDetailSerializer, **MERGED_AWAY}),
    update=extend_schema(
        parameters=[IF_MATCH], responses={200: ClientDetailSerializer, **PRECONDITION_FAILED}
    ),
    partial_update=extend_schema(
        parameters=[IF_MATCH], responses={200: ClientDetailSerializer, **PRECONDITION_FAILED}
    ),
)
class ClientViewSet(VersionedDetail, MergeMixin, BulkActionMixin, viewsets.ModelViewSet):
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
        client = services.client_update(
            by=request.user, client=client, shown=expected_version(request), **serializer.validated_data
        )
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
