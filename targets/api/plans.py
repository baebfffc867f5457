"""/api/v1/ plans, their split (allocations) and the plan-vs-actual summary.

Serializers check types and references; services decide and write; selectors read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team, User
from core.filters import parse_id
from targets import selectors, services
from targets.api.common import MONEY, RECORD_ID
from targets.filters import (
    AllocationFilter,
    PlanFilter,
    parse_year,
)
from targets.models import (
    Allocation,
    MonthMethod,
    Plan,
    PlanMetric,
    SplitMethod,
)


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
    # Blank until the plan is first decomposed (a read-only model field would lose allow_blank
    # and be published as an enum without "").
    month_method = serializers.ChoiceField(choices=MonthMethod.choices, read_only=True, allow_blank=True)

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
    team_name = serializers.CharField(source="team.name", read_only=True, default=None, allow_null=True)
    rep_name = serializers.CharField(source="rep.full_name", read_only=True, default=None, allow_null=True)

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
