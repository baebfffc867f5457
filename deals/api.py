"""REST API of the pipeline: stages, lost reasons, deals (+ move) and the pipeline summary
(facts and reviews are in deals.api_evidence, products, deal lines and proposals in
deals.api_commerce; the board's API, which needs the month plans, is reports.board_api).

Serializers validate the shape of the input; services decide and write; selectors read."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from clients.models import Client
from core.api import (
    CONFLICT,
    IF_MATCH,
    PRECONDITION_FAILED,
    VersionedDetail,
    VisibleRelatedField,
    expected_version,
)
from core.bulk_api import BulkActionMixin
from core.http import filter_query
from deals import services
from deals.filters import DealFilter, LostReasonFilter, PipelineFilter, StageFilter
from deals.models import Deal, DealType, ForecastCategory, LostReason, Stage
from deals.rules import scope_people
from deals.selectors.deals import Clock, deal_list, deal_warnings
from deals.selectors.pipeline import pipeline_summary
from deals.selectors.versions import kept_deal_list_figures

MONEY = {"max_digits": 14, "decimal_places": 2}


@extend_schema_field(OpenApiTypes.INT)
class ScopePersonField(serializers.PrimaryKeyRelatedField):
    """A person whose deals the requesting user sees (deals.rules.scope_people). Anyone else,
    like an id that does not exist, is 'does not exist': the answer tells nothing about
    people outside the user's scope. Whether the person may own the deal is the service's
    decision."""

    def get_queryset(self):
        return scope_people(self.context["request"].user)


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = [
            "id",
            "name",
            "order",
            "default_probability",
            "kind",
            "default_forecast_category",
            "is_active",
            "updated_at",
        ]


class DealSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    stage_kind = serializers.CharField(source="stage.kind", read_only=True)
    lost_reason_name = serializers.SerializerMethodField(
        help_text="The lost reason in the reader's language."
    )
    effective_probability = serializers.IntegerField(read_only=True)
    weighted_amount = serializers.DecimalField(read_only=True, max_digits=16, decimal_places=2)
    fact_count = serializers.IntegerField(read_only=True)
    next_task = serializers.CharField(read_only=True, allow_null=True, help_text="The soonest open task.")
    next_task_due = serializers.DateField(read_only=True, allow_null=True)
    warnings = serializers.SerializerMethodField()
    effective_forecast_category = serializers.ChoiceField(choices=ForecastCategory.choices, read_only=True)
    # Empty when no manager overrode the owner's category.
    forecast_override = serializers.ChoiceField(
        choices=ForecastCategory.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Deal
        fields = [
            "id",
            "title",
            "client",
            "client_name",
            "owner",
            "owner_name",
            "amount",
            "stage",
            "stage_name",
            "stage_kind",
            "probability",
            "effective_probability",
            "weighted_amount",
            "expected_close",
            "deal_type",
            "renewal_of",
            "service_start",
            "service_end",
            "next_task",
            "next_task_due",
            "lost_reason",
            "lost_reason_name",
            "lost_comment",
            "forecast_category",
            "forecast_override",
            "forecast_override_note",
            "forecast_override_by",
            "forecast_override_at",
            "effective_forecast_category",
            "closed_at",
            "stage_changed_at",
            "fact_count",
            "warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_warnings(self, deal: Deal) -> list[str]:
        return deal_warnings(deal)

    def get_lost_reason_name(self, deal: Deal) -> str | None:
        return deal.lost_reason.display_name if deal.lost_reason_id else None


class DealWriteSerializer(serializers.Serializer):
    """Input of POST (create) and PUT/PATCH (update) of a deal. The stage is given only on
    create; afterwards it changes through POST /deals/{id}/move/."""

    title = serializers.CharField(max_length=200)
    client = VisibleRelatedField(Client)
    owner = ScopePersonField(required=False)
    amount = serializers.DecimalField(min_value=0, **MONEY)
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all(), required=False)
    probability = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    expected_close = serializers.DateField(required=False, allow_null=True)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)
    renewal_of = VisibleRelatedField(Deal, required=False, allow_null=True)
    service_start = serializers.DateField(required=False, allow_null=True)
    service_end = serializers.DateField(required=False, allow_null=True)
    # On update the stage and client are passed to deal_update as given: it refuses a
    # different stage or client, so that rule lives in the service only.


class MoveSerializer(serializers.Serializer):
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all())
    # Required for a lost stage (the service says so); an id from /api/v1/lost-reasons/.
    lost_reason = serializers.PrimaryKeyRelatedField(
        queryset=LostReason.objects.all(), required=False, allow_null=True, default=None
    )
    lost_comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    from_stage = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The stage the deal was at when you decided to move it: if it is elsewhere now, 409.",
    )


class LostReasonSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text="The name in the reader's language.")
    name = serializers.CharField(max_length=100)

    class Meta:
        model = LostReason
        fields = ["id", "name", "display_name", "order", "is_active", "updated_at"]
        read_only_fields = ["updated_at"]


class ForecastSetSerializer(serializers.Serializer):
    forecast_category = serializers.ChoiceField(choices=ForecastCategory.choices)


class ForecastOverrideSerializer(serializers.Serializer):
    forecast_override = serializers.ChoiceField(
        choices=ForecastCategory.choices, allow_blank=True, help_text="Empty withdraws the override."
    )
    note = serializers.CharField(max_length=500)


class WonChangeSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    client = VisibleRelatedField(Client, required=False)
    closed_at = serializers.DateField(required=False)


class StageViewSet(viewsets.ReadOnlyModelViewSet):
    """The pipeline's stages (configured in the admin)."""

    serializer_class = StageSerializer
    filterset_class = StageFilter
    search_fields = ["name"]
    ordering_fields = ["order", "name", "updated_at"]
    ordering = ["order", "pk"]
    queryset = Stage.objects.all()


class LostReasonViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The lost reasons a deal closed as lost chooses from (``is_active``), in their order.
    Everyone reads them; the head adds (POST) and changes them (PUT/PATCH: name, order,
    ``is_active: false`` deactivates). A reason is never deleted: closed deals keep theirs."""

    serializer_class = LostReasonSerializer
    filterset_class = LostReasonFilter
    search_fields = ["name"]
    ordering_fields = ["order", "name", "updated_at"]
    ordering = ["order", "pk"]
    queryset = LostReason.objects.all()

    def perform_create(self, serializer):
        serializer.instance = services.lost_reason_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.lost_reason_update(
            reason=serializer.instance, by=self.request.user, data=dict(serializer.validated_data)
        )


class DealViewSet(VersionedDetail, BulkActionMixin, viewsets.ModelViewSet):
    """Deals the user sees. ``stage`` is set on create only; POST ``move/`` changes it."""

    filterset_class = DealFilter
    bulk_resource = "deals"
    search_fields = ["title", "client__name"]
    ordering_fields = [
        "title",
        "amount",
        "expected_close",
        "created_at",
        "updated_at",
        "closed_at",
        "stage__order",
    ]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no warning policy to read
            return Deal.objects.none()
        return deal_list(viewer=self.request.user, clock=Clock.for_request(self.request))

    def count_queryset(self, queryset):
        """The list's total: the same filters over the visible deals, without the signals'
        subqueries and the joins the rows need (the count used to join every deal to its
        stage; issue 15)."""
        return self.filter_queryset(Deal.objects.visible_to(self.request.user)).order_by()

    def kept_count(self, queryset) -> int:
        """:meth:`count_queryset`'s count, kept while the deal list's version stays, as the
        page's totals are: it reads every deal the viewer sees (150,000 for a head at scale,
        8 ms) where a page shows 10 to 100."""
        request = self.request
        return kept_deal_list_figures(
            "api-deal-count",
            viewer=request.user,
            day=timezone.localdate(),
            query=filter_query(request),
            compute=lambda: self.count_queryset(queryset).count(),
        )

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return DealWriteSerializer
        if self.action == "move":
            return MoveSerializer
        if self.action == "won_change":
            return WonChangeSerializer
        if self.action == "forecast":
            return ForecastSetSerializer
        if self.action == "forecast_override":
            return ForecastOverrideSerializer
        return DealSerializer

    def _read(self, deal: Deal, status_code=status.HTTP_200_OK) -> Response:
        fresh = deal_list(viewer=self.request.user).get(pk=deal.pk)
        return Response(DealSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=DealWriteSerializer, responses={201: DealSerializer})
    def create(self, request, *args, **kwargs):
        serializer = DealWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        deal = services.deal_create(by=request.user, **serializer.validated_data)
        return self._read(deal, status.HTTP_201_CREATED)

    @extend_schema(
        request=DealWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: DealSerializer, **CONFLICT, **PRECONDITION_FAILED},
    )
    def update(self, request, *args, **kwargs):
        deal = self.get_object()
        serializer = DealWriteSerializer(
            deal,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        deal = services.deal_update(
            deal=deal, by=request.user, data=serializer.validated_data, shown=expected_version(request)
        )
        return self._read(deal)

    @extend_schema(
        request=DealWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: DealSerializer, **CONFLICT, **PRECONDITION_FAILED},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.deal_delete(deal=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses={200: DealSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the deal to another stage (a lost stage needs ``lost_reason``, an active reason's
        id, and takes an optional ``lost_comment``)."""
        deal = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_move(
            deal=deal,
            stage=serializer.validated_data["stage"],
            by=request.user,
            lost_reason=serializer.validated_data["lost_reason"],
            lost_comment=serializer.validated_data["lost_comment"],
            from_stage_id=serializer.validated_data["from_stage"],
        )
        return self._read(deal)

    @extend_schema(request=ForecastSetSerializer, responses={200: DealSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def forecast(self, request, pk=None):
        """Set an open deal's forecast category (pipeline, best_case, commit, omitted)."""
        deal = self.get_object()
        serializer = ForecastSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_forecast_set(
            deal=deal, by=request.user, category=serializer.validated_data["forecast_category"]
        )
        return self._read(deal)

    @extend_schema(request=ForecastOverrideSerializer, responses={200: DealSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="forecast-override")
    def forecast_override(self, request, pk=None):
        """The owner's lead or the head overrides the category with a note (empty withdraws it)."""
        deal = self.get_object()
        serializer = ForecastOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_forecast_override(
            deal=deal,
            by=request.user,
            category=serializer.validated_data["forecast_override"],
            note=serializer.validated_data["note"],
        )
        return self._read(deal)

    @extend_schema(request=WonChangeSerializer, responses={200: DealSerializer})
    @action(detail=True, methods=["post"], url_path="won-change")
    def won_change(self, request, pk=None):
        """Correct a won deal's amount, client or close date (a lead or the head, with a
        reason); refused when the payment schedule would no longer sum to the amount."""
        deal = self.get_object()
        serializer = WonChangeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        deal = services.deal_won_change(deal=deal, by=request.user, **serializer.validated_data)
        return self._read(deal)


# --- summaries ---------------------------------------------------------------------------


class PipelineRowSerializer(serializers.Serializer):
    stage = serializers.IntegerField(source="stage.pk")
    name = serializers.CharField(source="stage.name")
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    weighted = serializers.DecimalField(max_digits=16, decimal_places=2)


class PipelineTotalSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    weighted = serializers.DecimalField(max_digits=16, decimal_places=2)


class PipelineSerializer(serializers.Serializer):
    stages = PipelineRowSerializer(many=True)
    total = PipelineTotalSerializer(source="*")


class PipelineView(APIView):
    """Per open stage: count, amount and weighted amount of the deals the user sees."""

    @extend_schema(
        responses=PipelineSerializer,
        parameters=[
            OpenApiParameter("owner", int),
            OpenApiParameter("team", int),
            OpenApiParameter("expected_close_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("expected_close_to", str, description="YYYY-MM-DD"),
        ],
    )
    def get(self, request):
        filterset = PipelineFilter(
            request.query_params, queryset=Deal.objects.visible_to(request.user), request=request
        )
        if not filterset.is_valid():
            raise APIValidationError(filterset.errors)
        return Response(PipelineSerializer(pipeline_summary(deals=filterset.qs)).data)
