"""REST API of what is known about a deal: facts (evidence of intent) and reviews, on the
deals the user sees.

Serializers validate the shape of the input; services decide and write."""

from __future__ import annotations

from rest_framework import mixins, serializers, viewsets

from clients.models import Activity
from core.api import VisibleRelatedField
from deals import services
from deals.filters import FactFilter, ReviewFilter
from deals.models import Deal, Fact, FactKind, Review, Verdict


class FactSerializer(serializers.ModelSerializer):
    deal = VisibleRelatedField(Deal)
    activity = VisibleRelatedField(Activity, required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=FactKind.choices)
    happened_on = serializers.DateField(required=False)
    recorded_by_name = serializers.CharField(source="recorded_by.full_name", read_only=True)

    class Meta:
        model = Fact
        fields = [
            "id",
            "deal",
            "kind",
            "text",
            "happened_on",
            "activity",
            "recorded_by",
            "recorded_by_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by", "created_at", "updated_at"]


class ReviewSerializer(serializers.ModelSerializer):
    deal = VisibleRelatedField(Deal)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    reviewer_name = serializers.CharField(source="reviewer.full_name", read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "deal",
            "reviewer",
            "reviewer_name",
            "verdict",
            "comment",
            "next_action",
            "next_action_due",
            "reviewed_at",
            "updated_at",
        ]
        read_only_fields = ["reviewer", "reviewed_at", "updated_at"]


class FactViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Evidence of intent on the deals the user sees."""

    serializer_class = FactSerializer
    filterset_class = FactFilter
    search_fields = ["text"]
    ordering_fields = ["happened_on", "created_at", "updated_at"]
    ordering = ["-happened_on", "-pk"]

    def get_queryset(self):
        return Fact.objects.visible_to(self.request.user).select_related("recorded_by")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.fact_add(
            deal=data["deal"],
            by=self.request.user,
            kind=data["kind"],
            text=data["text"],
            happened_on=data.get("happened_on"),
            activity=data.get("activity"),
        )


class ReviewViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leads' and the head's reviews of deals the user sees."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    search_fields = ["comment", "next_action"]
    ordering_fields = ["reviewed_at", "updated_at"]
    ordering = ["-reviewed_at", "-pk"]

    def get_queryset(self):
        return Review.objects.visible_to(self.request.user).select_related("reviewer")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.review_add(
            deal=data["deal"],
            by=self.request.user,
            verdict=data["verdict"],
            comment=data.get("comment", ""),
            next_action=data.get("next_action", ""),
            next_action_due=data.get("next_action_due"),
        )
