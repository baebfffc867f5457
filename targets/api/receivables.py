"""/api/v1/ installments, payment schedules, payments, overdue reasons and the
receivables aging summary.

Serializers check types and references; services decide and write; selectors read."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.visibility import get_visible_or_404
from core.api import CONFLICT, Pagination, VisibleRelatedField
from core.filters import parse_id
from deals.models import Deal
from targets import selectors, services
from targets.api.common import MONEY
from targets.filters import (
    InstallmentFilter,
    OverdueReasonFilter,
    PaymentFilter,
)
from targets.models import (
    Installment,
    OverdueReason,
    Payment,
)


class InstallmentSerializer(serializers.ModelSerializer):
    deal_title = serializers.CharField(source="deal.title", read_only=True)
    client = serializers.IntegerField(source="deal.client_id", read_only=True)
    client_name = serializers.CharField(source="deal.client.name", read_only=True)
    owner = serializers.IntegerField(source="deal.owner_id", read_only=True)
    owner_name = serializers.CharField(source="deal.owner.full_name", read_only=True)
    paid = serializers.DecimalField(**MONEY, read_only=True)
    outstanding = serializers.DecimalField(**MONEY, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    bucket = serializers.CharField(read_only=True)
    days_overdue = serializers.SerializerMethodField()
    latest_reason = serializers.CharField(read_only=True, allow_null=True)
    latest_promised_date = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Installment
        fields = [
            "id",
            "deal",
            "deal_title",
            "client",
            "client_name",
            "owner",
            "owner_name",
            "due_date",
            "amount",
            "paid",
            "outstanding",
            "is_overdue",
            "bucket",
            "days_overdue",
            "note",
            "latest_reason",
            "latest_promised_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["deal", "amount", "created_at", "updated_at"]

    def get_days_overdue(self, installment) -> int:
        return max(installment.days_overdue.days, 0) if installment.is_overdue else 0


class InstallmentUpdateSerializer(serializers.Serializer):
    due_date = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


@extend_schema_view(partial_update=extend_schema(responses={200: InstallmentSerializer, **CONFLICT}))
class InstallmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Payment schedule lines with paid, outstanding, overdue and aging bucket computed in the
    database. Lines are created by `POST /api/v1/deals/{id}/schedule/`; a PATCH may only
    reschedule (`due_date`) or change the `note`."""

    serializer_class = InstallmentSerializer
    filterset_class = InstallmentFilter
    search_fields = ["deal__title", "deal__client__name", "note"]
    ordering_fields = ["due_date", "amount", "updated_at"]
    ordering = ["due_date", "pk"]

    def get_queryset(self):
        return selectors.receivable_installments(viewer=self.request.user, today=timezone.localdate())

    @extend_schema(request=InstallmentUpdateSerializer, responses={200: InstallmentSerializer, **CONFLICT})
    def update(self, request, *args, **kwargs):
        installment = self.get_object()
        serializer = InstallmentUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.installment_update(actor=request.user, installment=installment, **serializer.validated_data)
        return Response(InstallmentSerializer(self.get_queryset().get(pk=installment.pk)).data)


class ScheduleRequestSerializer(serializers.Serializer):
    installments = serializers.IntegerField(min_value=1, max_value=services.MAX_INSTALLMENTS)
    first_due = serializers.DateField()
    interval_months = serializers.IntegerField(min_value=1, max_value=services.MAX_INTERVAL_MONTHS, default=1)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class DealScheduleView(APIView):
    """Generate a won deal's payment schedule: `installments` lines, `interval_months`
    apart from `first_due`, adding up exactly to the deal amount. Installments that
    already have payments are kept; the rest of the schedule is replaced."""

    @extend_schema(
        request=ScheduleRequestSerializer, responses={201: InstallmentSerializer(many=True), **CONFLICT}
    )
    def post(self, request, deal_id: int):
        deal = get_visible_or_404(Deal.objects.all(), request.user, pk=deal_id)
        serializer = ScheduleRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.installment_schedule_create(actor=request.user, deal=deal, **serializer.validated_data)
        lines = selectors.receivable_installments(viewer=request.user, today=timezone.localdate()).filter(
            deal=deal
        )
        return Response(InstallmentSerializer(lines.order_by("due_date", "pk"), many=True).data, status=201)


class PaymentSerializer(serializers.ModelSerializer):
    installment = VisibleRelatedField(Installment)
    deal = serializers.IntegerField(source="installment.deal_id", read_only=True)
    client = serializers.IntegerField(source="installment.deal.client_id", read_only=True)
    amount = serializers.DecimalField(**MONEY)
    is_overpayment = serializers.BooleanField(
        default=False, help_text=_("Set it to record more than is outstanding.")
    )
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "installment",
            "deal",
            "client",
            "amount",
            "paid_on",
            "is_overpayment",
            "note",
            "recorded_by",
            "recorded_by_name",
            "voided_at",
            "voided_by",
            "void_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "recorded_by",
            "voided_at",
            "voided_by",
            "void_reason",
            "created_at",
            "updated_at",
        ]


class PaymentVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=_("Why the payment is voided."))


@extend_schema_view(create=extend_schema(responses={201: PaymentSerializer, **CONFLICT}))
class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Payments against installments. Amounts are positive and at most what is outstanding
    unless `is_overpayment` is set; payments are not edited (record a correction)."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    search_fields = ["note", "installment__deal__client__name"]
    ordering_fields = ["paid_on", "amount", "updated_at"]
    ordering = ["-paid_on", "-pk"]

    def get_queryset(self):
        return Payment.objects.visible_to(self.request.user).select_related(
            "installment__deal", "recorded_by"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.payment_record(actor=self.request.user, **data)

    @extend_schema(request=PaymentVoidSerializer, responses={200: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a payment that bounced or was recorded by mistake (the team's assistant, its
        lead or the head; a reason is required). It stays on record and counts no more."""
        payment = self.get_object()
        serializer = PaymentVoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.payment_void(
            actor=request.user, payment=payment, reason=serializer.validated_data["reason"]
        )
        return Response(PaymentSerializer(payment, context={"request": request}).data)


class OverdueReasonSerializer(serializers.ModelSerializer):
    installment = VisibleRelatedField(Installment)
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = OverdueReason
        fields = [
            "id",
            "installment",
            "reason",
            "promised_date",
            "recorded_by",
            "recorded_by_name",
            "recorded_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at", "updated_at"]


@extend_schema_view(create=extend_schema(responses={201: OverdueReasonSerializer, **CONFLICT}))
class OverdueReasonViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Why a payment is late and the new promised date; a history, newest first."""

    serializer_class = OverdueReasonSerializer
    filterset_class = OverdueReasonFilter
    search_fields = ["reason"]
    ordering_fields = ["recorded_at", "promised_date", "updated_at"]
    ordering = ["-recorded_at", "-pk"]

    def get_queryset(self):
        return OverdueReason.objects.visible_to(self.request.user).select_related("recorded_by")

    def perform_create(self, serializer):
        serializer.instance = services.overdue_reason_add(
            actor=self.request.user, **serializer.validated_data
        )


AGING_FIELDS = ["current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "outstanding_total"]
AGING_FIELDS += ["overdue_total"]


def _aging_row_name(group: str, row: dict) -> str:
    return selectors.aging_row_name(group, row) or str(_("No team"))


def _aging_figures(row: dict) -> dict:
    figures = {name: f"{row[name]:.2f}" for name in AGING_FIELDS}
    figures["installment_count"] = row["installment_count"]
    return figures


AGING_PARAMETERS = [
    OpenApiParameter(
        "group", OpenApiTypes.STR, enum=["owner", "team", "client"], description="Default owner."
    ),
    OpenApiParameter("team", OpenApiTypes.INT),
    OpenApiParameter("owner", OpenApiTypes.INT),
    OpenApiParameter("client", OpenApiTypes.INT),
]


class ReceivablesAgingView(APIView):
    """Outstanding amounts by aging bucket (current = not yet due, then days past due:
    1–30, 31–60, 61–90, 90+) per owner, team or client, for what you may see. "Owner" is the
    person following the installment up (`follow_up_by`, else the deal's owner; a hand-over
    moves it to the receiver), and the team is that person's team; `owner` and `team`
    filter the same way."""

    @extend_schema(
        parameters=AGING_PARAMETERS,
        responses=inline_serializer(
            "ReceivablesAging",
            {
                "as_of": serializers.DateField(),
                "group": serializers.CharField(),
                "totals": serializers.DictField(),
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        group = request.query_params.get("group", "owner")
        if group not in selectors.AGING_GROUPS:
            return Response({"group": [_("Choose owner, team or client.")]}, status=400)
        filters = {}
        for name in ("team", "owner", "client"):
            value = request.query_params.get(name)
            if value in (None, ""):
                continue
            number = parse_id(value)
            if number is None:
                return Response({name: [_("Give a record id (a whole number).")]}, status=400)
            filters[f"{name}_id"] = number
        today = timezone.localdate()
        # The grouped aggregate runs once: its rows give the page, the count and the totals
        # (a COUNT over the grouped query and a second aggregate for the totals would each
        # group every outstanding installment again).
        # Kept until the receivables change (selectors.ReceivablesCache).
        rows = selectors.ReceivablesCache(viewer=request.user, today=today).get(
            "aging",
            lambda: list(
                selectors.receivables_aging(viewer=request.user, today=today, group_by=group, **filters)
            ),
            group=group,
            **filters,
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        results = [
            {"key": row["key"], "name": _aging_row_name(group, row), **_aging_figures(row)} for row in page
        ]
        response = paginator.get_paginated_response(results)
        totals = selectors.aging_rows_totals(rows)
        response.data = {"as_of": today, "group": group, "totals": _aging_figures(totals), **response.data}
        return response
