"""/api/v1/ plans, allocations, norms, installments, payments, overdue reasons and the
receivables and plan-vs-actual summaries.

Serializers check types and references; services decide and write; selectors read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, Team, User
from accounts.visibility import get_visible_or_404
from core.api import Pagination, VisibleRelatedField
from core.filters import MAX_ID
from deals.models import Deal
from targets import selectors, services
from targets.filters import (
    AllocationFilter,
    InstallmentFilter,
    NormFilter,
    OverdueReasonFilter,
    PaymentFilter,
    PlanFilter,
    parse_id,
    parse_year,
)
from targets.models import (
    ActivityNorm,
    Allocation,
    Installment,
    MonthMethod,
    OverdueReason,
    Payment,
    Plan,
    PlanMetric,
    SplitMethod,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
RECORD_ID = {"min_value": 1, "max_value": MAX_ID}


# --------------------------------------------------------------------------- plans


@extend_schema_field(OpenApiTypes.STR)
class SplitMethodField(serializers.ChoiceField):
    """How a level is split: ``even`` or ``weights``. Described as a plain string in the
    schema, because one enum under two field names makes the schema generator complain."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("even or weights"))
        super().__init__(choices=SplitMethod.choices, **kwargs)


class PlanSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY, min_value=0)
    team_method = SplitMethodField(read_only=True)
    rep_method = SplitMethodField(read_only=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "year",
            "metric",
            "amount",
            "note",
            "month_method",
            "team_method",
            "rep_method",
            "decomposed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "month_method",
            "team_method",
            "rep_method",
            "decomposed_at",
            "created_at",
            "updated_at",
        ]
        validators: list = []  # one plan per year and metric: the service says so in words


class PlanUpdateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class DecomposeSerializer(serializers.Serializer):
    month_method = serializers.ChoiceField(
        choices=[MonthMethod.EVEN, MonthMethod.WEIGHTS, MonthMethod.LAST_YEAR],
        help_text=_("even, weights (give month_weights) or last_year (last year's actual shares)."),
    )
    month_weights = serializers.ListField(
        child=serializers.DecimalField(max_digits=20, decimal_places=6),
        required=False,
        help_text=_("12 numbers."),
    )
    team_method = SplitMethodField(default=SplitMethod.EVEN)
    team_weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=6),
        required=False,
        help_text=_("Team id → weight, for every team with reps."),
    )
    rep_method = SplitMethodField(default=SplitMethod.EVEN)
    rep_weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=6),
        required=False,
        help_text=_("Rep id → weight; a rep's weight counts within their team."),
    )


class DecompositionSerializer(serializers.Serializer):
    plan = PlanSerializer()
    month_method = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())
    months = serializers.ListField(child=serializers.DecimalField(**MONEY))


class RepCellSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    rep = serializers.IntegerField(**RECORD_ID)
    amount = serializers.DecimalField(**MONEY)


class RepSplitSerializer(serializers.Serializer):
    team = serializers.IntegerField(**RECORD_ID)
    amounts = RepCellSerializer(many=True, allow_empty=False)


class MonthCellSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    amount = serializers.DecimalField(**MONEY)


class TeamMonthCellSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    team = serializers.IntegerField(**RECORD_ID)
    amount = serializers.DecimalField(**MONEY)


class DepartmentSplitSerializer(serializers.Serializer):
    months = MonthCellSerializer(many=True, required=False)
    team_months = TeamMonthCellSerializer(many=True, required=False)


class PlanViewSet(viewsets.ModelViewSet):
    """The department's yearly targets; everyone reads them, the head sets them.

    Changing `amount` keeps the split: the difference shows as unallocated until the plan
    is decomposed again."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    search_fields = ["note"]
    ordering_fields = ["year", "metric", "amount", "updated_at"]
    ordering = ["-year", "metric"]

    def get_queryset(self):
        return Plan.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.plan_create(
            actor=self.request.user,
            year=data["year"],
            metric=data.get("metric", PlanMetric.BOOKED),
            amount=data["amount"],
            note=data.get("note", ""),
        )

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = PlanUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        plan = services.plan_update(actor=request.user, plan=plan, **serializer.validated_data)
        return Response(PlanSerializer(plan).data)

    def perform_destroy(self, instance):
        services.plan_delete(actor=self.request.user, plan=instance)

    @extend_schema(request=DecomposeSerializer, responses=DecompositionSerializer)
    @action(detail=True, methods=["post"])
    def decompose(self, request, pk=None):
        """Split the plan into months, teams and reps, replacing any earlier split."""
        plan = self.get_object()
        serializer = DecomposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.plan_decompose(actor=request.user, plan=plan, **serializer.validated_data)
        return Response(DecompositionSerializer(result).data)

    @extend_schema(request=RepSplitSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="rep-split")
    def rep_split(self, request, pk=None):
        """Move a team's plan between its reps; each month touched must keep the team's total."""
        plan = self.get_object()
        serializer = RepSplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = get_object_or_404(Team.objects.visible_to(request.user), pk=serializer.validated_data["team"])
        amounts = {
            (cell["month"], cell["rep"]): cell["amount"] for cell in serializer.validated_data["amounts"]
        }
        services.allocation_rep_split_set(actor=request.user, plan=plan, team=team, amounts=amounts)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=DepartmentSplitSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="department-split")
    def department_split(self, request, pk=None):
        """The head moves plan between months and teams; totals must stay exact."""
        plan = self.get_object()
        serializer = DepartmentSplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.allocation_department_split_set(
            actor=request.user,
            plan=plan,
            months={cell["month"]: cell["amount"] for cell in data.get("months", [])},
            team_months={
                (cell["month"], cell["team"]): cell["amount"] for cell in data.get("team_months", [])
            },
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AllocationSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="plan.year", read_only=True)
    metric = serializers.CharField(source="plan.metric", read_only=True)
    level = serializers.SerializerMethodField()
    team_name = serializers.CharField(source="team.name", read_only=True, default=None)
    rep_name = serializers.CharField(source="rep.full_name", read_only=True, default=None)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "plan",
            "year",
            "metric",
            "month",
            "level",
            "team",
            "team_name",
            "rep",
            "rep_name",
            "amount",
        ]
        fields += ["updated_at"]

    def get_level(self, allocation: Allocation) -> str:
        if allocation.rep_id:
            return "rep"
        return "team" if allocation.team_id else "month"


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The cells of the decomposition you may see: month totals (head, analyst), your
    team's team-months and rep-months (lead, assistant), your own rep-months."""

    serializer_class = AllocationSerializer
    filterset_class = AllocationFilter
    ordering_fields = ["month", "amount", "updated_at"]
    ordering = ["plan", "month", "team", "rep"]

    def get_queryset(self):
        return Allocation.objects.visible_to(self.request.user).select_related("plan", "team", "rep")


# --------------------------------------------------------------------------- norms


class NormSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=[("", "—"), *Role.choices], required=False, allow_blank=True)
    user = VisibleRelatedField(User, required=False, allow_null=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True, default=None)

    class Meta:
        model = ActivityNorm
        fields = ["id", "role", "user", "user_name", "calls_per_day", "meetings_per_week", "updated_at"]
        validators: list = []

    def validate(self, attrs):
        if self.instance is None and bool(attrs.get("role")) == bool(attrs.get("user")):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Give either a role or a person, not both.")]}
            )
        return attrs


class EffectiveNormSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    calls_per_day = serializers.IntegerField()
    meetings_per_week = serializers.IntegerField()
    has_personal_norm = serializers.BooleanField()


class NormViewSet(viewsets.ModelViewSet):
    """Activity norms: per role (the head sets them) and per person (head, or the lead of
    the person's team), a personal norm overriding the role's."""

    serializer_class = NormSerializer
    filterset_class = NormFilter
    ordering_fields = ["role", "updated_at"]
    ordering = ["role", "user"]

    def get_queryset(self):
        return ActivityNorm.objects.visible_to(self.request.user).select_related("user")

    def _save(self, data, norm=None):
        return services.norm_save(
            actor=self.request.user,
            norm=norm,
            role=data.get("role"),
            person=data.get("user"),
            calls_per_day=data.get("calls_per_day"),
            meetings_per_week=data.get("meetings_per_week"),
        )

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer.validated_data, norm=serializer.instance)

    def perform_destroy(self, instance):
        services.norm_delete(actor=self.request.user, norm=instance)

    @extend_schema(responses=EffectiveNormSerializer(many=True))
    @action(detail=False, methods=["get"])
    def effective(self, request):
        """Each person you may see with the norm that applies to them."""
        people = (
            selectors.effective_norms(viewer=request.user).filter(is_active=True).order_by("last_name", "pk")
        )
        page = self.paginate_queryset(people)
        return self.get_paginated_response(EffectiveNormSerializer(page, many=True).data)


# --------------------------------------------------------------------------- receivables


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

    @extend_schema(request=InstallmentUpdateSerializer, responses=InstallmentSerializer)
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

    @extend_schema(request=ScheduleRequestSerializer, responses={201: InstallmentSerializer(many=True)})
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]


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


# --------------------------------------------------------------------------- summaries

AGING_FIELDS = ["current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "outstanding_total"]
AGING_FIELDS += ["overdue_total"]


def _aging_row_name(group: str, row: dict) -> str:
    if group == "owner":
        full_name = f"{row['deal__owner__first_name']} {row['deal__owner__last_name']}".strip()
        return full_name or row["deal__owner__username"]
    if group == "team":
        return row["deal__owner__team__name"] or str(_("No team"))
    return row["deal__client__name"]


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
    1–30, 31–60, 61–90, 90+) per owner, team or client, for what you may see."""

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
        rows = selectors.receivables_aging(viewer=request.user, today=today, group_by=group, **filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        results = [
            {"key": row["key"], "name": _aging_row_name(group, row), **_aging_figures(row)} for row in page
        ]
        response = paginator.get_paginated_response(results)
        totals = selectors.receivables_totals(viewer=request.user, today=today, **filters)
        response.data = {"as_of": today, "group": group, "totals": _aging_figures(totals), **response.data}
        return response


class PlanVsActualView(APIView):
    """Plan, booked, collected and forecast per month: one line for the department
    (`scope=department`, head and analyst), per team (`scope=team`) or per rep
    (`scope=rep`, a rep sees their own line). Optional `team` / `rep` narrow it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Default: this year."),
            OpenApiParameter("scope", OpenApiTypes.STR, enum=list(selectors.SCOPES)),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("rep", OpenApiTypes.INT),
        ],
        responses=inline_serializer(
            "PlanVsActual",
            {
                "year": serializers.IntegerField(),
                "scope": serializers.CharField(),
                "lines": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        allowed = selectors.plan_scopes_for(request.user)
        scope = params.get("scope") or allowed[0]
        errors = {}
        year = parse_year(params["year"]) if params.get("year") else timezone.localdate().year
        if year is None:
            errors["year"] = [_("Give a year between 2000 and 2100.")]
        if scope not in selectors.SCOPES:
            errors["scope"] = [_("Choose department, team or rep.")]
        elif scope not in allowed:
            errors["scope"] = [_("Your figures are those of %(scopes)s.") % {"scopes": ", ".join(allowed)}]
        ids = {}
        for name in ("team", "rep"):
            value = params.get(name)
            if value in (None, ""):
                continue
            number = parse_id(value)
            if number is None:
                errors[name] = [_("Give a record id (a whole number).")]
            else:
                ids[name] = number
        if errors:
            return Response(errors, status=400)
        if "team" in ids:
            get_object_or_404(Team.objects.visible_to(request.user), pk=ids["team"])
        if "rep" in ids:
            get_object_or_404(User.objects.visible_to(request.user), pk=ids["rep"])
        lines = selectors.plan_vs_actual(
            viewer=request.user, year=year, scope=scope, team_id=ids.get("team"), rep_id=ids.get("rep")
        )
        return Response({"year": year, "scope": scope, "lines": [_line_data(line) for line in lines]})


def _figures_data(figures) -> dict:
    data = {name: f"{getattr(figures, name):.2f}" for name in selectors.FIGURES}
    data["gap"] = f"{figures.gap:.2f}"
    data["percent"] = None if figures.percent is None else f"{figures.percent}"
    return data


def _line_data(line) -> dict:
    return {
        "key": line.key,
        "label": line.label,
        "months": [{"month": figures.month, **_figures_data(figures)} for figures in line.months],
        "year": _figures_data(line.year),
    }
