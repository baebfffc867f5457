"""REST API of documents: attachments (multipart upload, download), contracts (+ submit/,
approve/, return/, sign/) and client requests (+ move/).

Serializers validate the shape of the input; services decide and write; selectors read."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clients.models import Client
from core.api import CONFLICT, VisibleRelatedField
from deals.models import Deal, Quote
from documents import services
from documents.files import content_disposition
from documents.filters import AttachmentFilter, ClientRequestFilter, ContractFilter
from documents.models import (
    Attachment,
    ClientRequest,
    Contract,
    RequestKind,
    RequestPriority,
    RequestStatus,
)
from documents.rules import request_owner_choices
from documents.selectors import attachment_list, contract_list, request_list

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- attachments -----------------------------------------------------------------------------


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(source="uploaded_by.full_name", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "client",
            "deal",
            "contract",
            "quote",
            "name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_by_name",
            "download_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        return f"/api/v1/attachments/{attachment.pk}/download/"


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=10_000)
    client = VisibleRelatedField(Client, required=False, allow_null=True)
    deal = VisibleRelatedField(Deal, required=False, allow_null=True)
    contract = VisibleRelatedField(Contract, required=False, allow_null=True)
    quote = VisibleRelatedField(Quote, required=False, allow_null=True)


class AttachmentViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """Files on the clients, deals and contracts the user sees. Upload as multipart with
    ``file`` and exactly one of ``client``, ``deal``, ``contract``, ``quote``."""

    serializer_class = AttachmentSerializer
    filterset_class = AttachmentFilter
    search_fields = ["name"]
    ordering_fields = ["created_at", "updated_at", "name", "size"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return attachment_list(viewer=self.request.user)

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer}, responses={201: AttachmentSerializer}
    )
    def create(self, request, *args, **kwargs):
        serializer = AttachmentUploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachment = services.attachment_add(
            by=request.user,
            upload=data["file"],
            client=data.get("client"),
            deal=data.get("deal"),
            contract=data.get("contract"),
            quote=data.get("quote"),
        )
        fresh = attachment_list(viewer=request.user).get(pk=attachment.pk)
        return Response(AttachmentSerializer(fresh, context=self.get_serializer_context()).data, status=201)

    def destroy(self, request, *args, **kwargs):
        services.attachment_delete(by=request.user, attachment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself, as it was uploaded (404 when its record is hidden)."""
        return attachment_response(self.get_object())


def attachment_response(attachment: Attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.name)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- contracts -------------------------------------------------------------------------------


class ContractSerializer(serializers.ModelSerializer):
    deal_title = serializers.CharField(source="deal.title", read_only=True)
    client = serializers.IntegerField(source="deal.client_id", read_only=True)
    client_name = serializers.CharField(source="deal.client.name", read_only=True)
    owner = serializers.IntegerField(source="deal.owner_id", read_only=True)
    owner_name = serializers.CharField(source="deal.owner.full_name", read_only=True)
    reviewed_by_name = serializers.CharField(
        source="reviewed_by.full_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "deal",
            "deal_title",
            "client",
            "client_name",
            "owner",
            "owner_name",
            "number",
            "date",
            "start_date",
            "end_date",
            "term_months",
            "amount",
            "special_clauses",
            "status",
            "version",
            "review_comment",
            "submitted_at",
            "reviewed_by",
            "reviewed_by_name",
            "reviewed_at",
            "signed_at",
            "signed_scan",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContractWriteSerializer(serializers.Serializer):
    """POST creates a draft for ``deal`` (its amount defaults to the deal's); PUT/PATCH
    changes a draft or a returned contract (the deal stays)."""

    deal = VisibleRelatedField(Deal)
    number = serializers.CharField(max_length=50)
    date = serializers.DateField(required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    term_months = serializers.IntegerField(min_value=1, max_value=600, required=False, allow_null=True)
    amount = serializers.DecimalField(min_value=0, required=False, **MONEY)
    special_clauses = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ReviewCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000)


class SignSerializer(serializers.Serializer):
    scan = VisibleRelatedField(Attachment, help_text="An attachment of this contract: the signed scan.")


class ContractViewSet(viewsets.ModelViewSet):
    """Contracts of the deals the user sees, and their review: draft → submitted →
    approved / returned (with a comment) → signed (with the signed scan attached)."""

    filterset_class = ContractFilter
    search_fields = ["number", "deal__title", "deal__client__name"]
    ordering_fields = ["number", "date", "amount", "status", "submitted_at", "created_at", "updated_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return contract_list(viewer=self.request.user)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ContractWriteSerializer
        if self.action in ("approve",):
            return ReviewCommentSerializer
        if self.action == "return_":
            return ReturnSerializer
        if self.action == "sign":
            return SignSerializer
        return ContractSerializer

    def _read(self, contract: Contract, status_code=status.HTTP_200_OK) -> Response:
        fresh = contract_list(viewer=self.request.user).get(pk=contract.pk)
        return Response(
            ContractSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(request=ContractWriteSerializer, responses={201: ContractSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ContractWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contract = services.contract_create(by=request.user, **serializer.validated_data)
        return self._read(contract, status.HTTP_201_CREATED)

    @extend_schema(request=ContractWriteSerializer, responses={200: ContractSerializer, **CONFLICT})
    def update(self, request, *args, **kwargs):
        contract = self.get_object()
        serializer = ContractWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deal = data.pop("deal", None)
        if deal is not None and deal.pk != contract.deal_id:
            raise serializers.ValidationError({"deal": ["A contract stays with its deal."]})
        contract = services.contract_update(by=request.user, contract=contract, **data)
        return self._read(contract)

    @extend_schema(request=ContractWriteSerializer, responses={200: ContractSerializer, **CONFLICT})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.contract_delete(by=request.user, contract=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ContractSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft (or a returned contract, as its next version) for review."""
        return self._read(services.contract_submit(by=request.user, contract=self.get_object()))

    @extend_schema(request=ReviewCommentSerializer, responses={200: ContractSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The owner's lead or the head approves a submitted contract."""
        contract = self.get_object()
        serializer = ReviewCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(
            services.contract_approve(by=request.user, contract=contract, **serializer.validated_data)
        )

    @extend_schema(request=ReturnSerializer, responses={200: ContractSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a submitted contract to its owner; ``comment`` (required) says what to change."""
        contract = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(
            services.contract_return(by=request.user, contract=contract, **serializer.validated_data)
        )

    @extend_schema(request=SignSerializer, responses={200: ContractSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Mark an approved contract signed; ``scan`` is its attachment with the signed copy."""
        contract = self.get_object()
        serializer = SignSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return self._read(
            services.contract_sign(by=request.user, contract=contract, scan=serializer.validated_data["scan"])
        )


# --- client requests ---------------------------------------------------------------------------


class ClientRequestSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ClientRequest
        fields = [
            "id",
            "kind",
            "client",
            "client_name",
            "deal",
            "contract",
            "description",
            "priority",
            "owner",
            "owner_name",
            "status",
            "due_by",
            "is_overdue",
            "resolution",
            "satisfaction",
            "closed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class RequestOwnerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return request_owner_choices(self.context["request"].user)


class ClientRequestWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    client = VisibleRelatedField(Client)
    deal = VisibleRelatedField(Deal, required=False, allow_null=True)
    contract = VisibleRelatedField(Contract, required=False, allow_null=True)
    description = serializers.CharField(max_length=10_000)
    priority = serializers.ChoiceField(choices=RequestPriority.choices, required=False)
    owner = RequestOwnerField(required=False)


class RequestMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    resolution = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class ClientRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Client requests and complaints the user sees; POST ``move/`` changes the status."""

    filterset_class = ClientRequestFilter
    search_fields = ["description", "client__name"]
    ordering_fields = ["due_by", "created_at", "updated_at", "priority", "status"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return request_list(viewer=self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return ClientRequestWriteSerializer
        if self.action == "move":
            return RequestMoveSerializer
        return ClientRequestSerializer

    def _read(self, item: ClientRequest, status_code=status.HTTP_200_OK) -> Response:
        fresh = request_list(viewer=self.request.user).get(pk=item.pk)
        return Response(
            ClientRequestSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(request=ClientRequestWriteSerializer, responses={201: ClientRequestSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ClientRequestWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = services.request_create(by=request.user, **serializer.validated_data)
        return self._read(item, status.HTTP_201_CREATED)

    @extend_schema(request=RequestMoveSerializer, responses={200: ClientRequestSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """open → in_progress → resolved (with the client's satisfaction) / rejected (with a reason)."""
        item = self.get_object()
        serializer = RequestMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(services.request_move(by=request.user, request=item, **serializer.validated_data))
