"""REST API of the product catalogue, deal lines and commercial proposals:
/api/v1/products/, /api/v1/deal-lines/ (+ approve/, reject/), /api/v1/quotes/ (+ pdf/,
send/, accept/, reject/). Serializers validate the shape; services decide and write."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clients.models import Contact
from core.api import CONFLICT, VisibleRelatedField
from deals import services
from deals.filters import DealLineFilter, ProductFilter, QuoteFilter
from deals.models import Deal, DealLine, Product, Quote, QuoteLanguage, QuoteLine
from deals.quote_pdf import PdfUnavailable, quote_filename, quote_pdf
from deals.selectors.commerce import visible_lines, visible_quotes

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class ProductSerializer(serializers.ModelSerializer):
    list_price = serializers.DecimalField(min_value=0, **MONEY)
    tax_rate = serializers.DecimalField(required=False, **PERCENT)
    max_discount_percent = serializers.DecimalField(required=False, **PERCENT)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "list_price",
            "tax_rate",
            "max_discount_percent",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness of the code is the service's rule (one message, case-insensitive).
        extra_kwargs = {"code": {"validators": []}}


class ProductViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The catalogue: everyone reads it; the head creates and changes products (a product
    is retired with ``is_active: false``, never deleted)."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code", "list_price", "updated_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        return Product.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.product_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            by=self.request.user, product=serializer.instance, data=serializer.validated_data
        )


class DealLineSerializer(serializers.ModelSerializer):
    deal = VisibleRelatedField(Deal)
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    unit_price = serializers.DecimalField(min_value=0, required=False, allow_null=True, **MONEY)
    discount_percent = serializers.DecimalField(required=False, **PERCENT)
    tax_rate = serializers.DecimalField(required=False, allow_null=True, **PERCENT)
    approved_by_name = serializers.CharField(source="approved_by.full_name", read_only=True, default="")

    class Meta:
        model = DealLine
        fields = [
            "id",
            "deal",
            "product",
            "name",
            "unit",
            "position",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "net",
            "tax",
            "gross",
            "approval",
            "approved_by",
            "approved_by_name",
            "approved_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "unit",
            "position",
            "net",
            "tax",
            "gross",
            "approval",
            "approved_by",
            "approved_at",
            "created_at",
            "updated_at",
        ]


class DiscountDecisionSerializer(serializers.Serializer):
    discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=(
            "The discount the decision was made on. When the line's discount is no longer this,"
            " the decision is refused with 409 (the line changed while you decided)."
        ),
    )


class DealLineViewSet(viewsets.ModelViewSet):
    """Lines of the deals the user sees. A discount above the product's limit waits for
    the owner's lead (or the head): POST ``approve/`` or ``reject/``. The deal's amount
    follows its lines' net total."""

    serializer_class = DealLineSerializer
    filterset_class = DealLineFilter
    ordering_fields = ["position", "updated_at", "net"]
    ordering = ["deal_id", "position", "pk"]

    def get_queryset(self):
        return visible_lines(viewer=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.deal_line_add(by=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        deal = data.pop("deal", None)
        if deal is not None and deal.pk != serializer.instance.deal_id:
            raise serializers.ValidationError({"deal": ["A line stays on its deal."]})
        serializer.instance = services.deal_line_update(
            by=self.request.user, line=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.deal_line_delete(by=self.request.user, line=instance)

    def _decide(self, approve: bool) -> Response:
        decision = DiscountDecisionSerializer(data=self.request.data)
        decision.is_valid(raise_exception=True)
        line = services.deal_line_decide(
            by=self.request.user,
            line=self.get_object(),
            approve=approve,
            discount_percent=decision.validated_data.get("discount_percent"),
        )
        fresh = visible_lines(viewer=self.request.user).get(pk=line.pk)
        return Response(DealLineSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=DiscountDecisionSerializer, responses={200: DealLineSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the line's discount (the owner's team lead or the head)."""
        return self._decide(True)

    @extend_schema(request=DiscountDecisionSerializer, responses={200: DealLineSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse the line's discount: no proposal is issued until the line changes."""
        return self._decide(False)


class QuoteLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = [
            "position",
            "code",
            "name",
            "unit",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "net",
            "tax",
            "gross",
        ]
        read_only_fields = fields


class QuoteSerializer(serializers.ModelSerializer):
    lines = QuoteLineSerializer(many=True, read_only=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "number",
            "deal",
            "version",
            "client_name",
            "contact",
            "contact_name",
            "contact_email",
            "language",
            "valid_until",
            "payment_terms",
            "delivery_terms",
            "status",
            "net",
            "tax",
            "gross",
            "lines",
            "created_by",
            "sent_at",
            "decided_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class QuoteCreateSerializer(serializers.Serializer):
    deal = VisibleRelatedField(Deal)
    language = serializers.ChoiceField(
        choices=QuoteLanguage.choices, required=False, default=QuoteLanguage.EN
    )
    valid_until = serializers.DateField(required=False, allow_null=True)
    contact = VisibleRelatedField(Contact, required=False, allow_null=True)
    payment_terms = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    delivery_terms = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class QuoteAcceptSerializer(serializers.Serializer):
    move_deal = serializers.BooleanField(required=False, default=False)


class QuoteViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Commercial proposals of the deals the user sees. POST creates one from the deal's
    lines (a draft); ``pdf/`` renders it; ``send/`` e-mails it to the contact; ``accept/``
    (optionally ``move_deal``) and ``reject/`` record the client's answer."""

    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter
    search_fields = ["number", "client_name"]
    ordering_fields = ["created_at", "updated_at", "valid_until", "number"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return visible_quotes(viewer=self.request.user)

    def _read(self, quote: Quote, status_code=status.HTTP_200_OK) -> Response:
        fresh = visible_quotes(viewer=self.request.user).get(pk=quote.pk)
        return Response(
            QuoteSerializer(fresh, context=self.get_serializer_context()).data, status=status_code
        )

    @extend_schema(request=QuoteCreateSerializer, responses={201: QuoteSerializer, **CONFLICT})
    def create(self, request, *args, **kwargs):
        serializer = QuoteCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        quote = services.quote_create(by=request.user, **data)
        return self._read(quote, status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            503: OpenApiResponse(description="WeasyPrint or its system libraries are not installed."),
        }
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The proposal as a PDF, in its language."""
        quote = self.get_object()
        try:
            content = quote_pdf(quote)
        except PdfUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{quote_filename(quote)}"'
        return response

    @extend_schema(request=None, responses={200: QuoteSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """E-mail the PDF to the proposal's contact and log an e-mail activity."""
        try:
            quote = services.quote_send(by=request.user, quote=self.get_object())
        except PdfUnavailable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return self._read(quote)

    @extend_schema(request=QuoteAcceptSerializer, responses={200: QuoteSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The client accepted; ``move_deal`` moves the deal to the contract stage."""
        serializer = QuoteAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        quote = services.quote_accept(
            by=request.user, quote=self.get_object(), move_deal=serializer.validated_data["move_deal"]
        )
        return self._read(quote)

    @extend_schema(request=None, responses={200: QuoteSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The client rejected the proposal."""
        return self._read(services.quote_reject(by=request.user, quote=self.get_object()))
