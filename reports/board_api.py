"""REST API of the 抓单 board (GET /api/v1/board/): the pipeline per person from deals with
the month plans from targets, assembled by reports.board."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.views import APIView

from accounts.models import Team
from core.api import Pagination
from deals.models import Fact
from deals.selectors import Clock, board_top_deals
from reports.board import board_summary

MONEY = {"max_digits": 14, "decimal_places": 2}


class BoardFactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fact
        fields = ["id", "kind", "text", "happened_on"]


class BoardDealSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="deal.pk")
    title = serializers.CharField(source="deal.title")
    client = serializers.IntegerField(source="deal.client_id")
    client_name = serializers.CharField(source="deal.client.name")
    stage = serializers.IntegerField(source="deal.stage_id")
    stage_name = serializers.CharField(source="deal.stage.name")
    amount = serializers.DecimalField(source="deal.amount", **MONEY)
    probability = serializers.IntegerField(source="deal.effective_probability")
    weighted_amount = serializers.DecimalField(source="deal.weighted_amount", max_digits=16, decimal_places=2)
    expected_close = serializers.DateField(source="deal.expected_close", allow_null=True)
    fact_count = serializers.IntegerField(source="deal.fact_count")
    facts = BoardFactSerializer(many=True)


class BoardPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    team_name = serializers.SerializerMethodField()

    def get_team_name(self, person) -> str | None:
        return person.team.name if person.team_id else None


class BoardWarningsSerializer(serializers.Serializer):
    no_activity = serializers.IntegerField()
    past_close = serializers.IntegerField()
    no_open_task = serializers.IntegerField()
    not_reviewed = serializers.IntegerField()


class BoardRowSerializer(serializers.Serializer):
    person = BoardPersonSerializer()
    open_count = serializers.IntegerField()
    open_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    proven_count = serializers.IntegerField()
    feelings_count = serializers.IntegerField()
    weighted = serializers.DecimalField(max_digits=16, decimal_places=2)
    won_count = serializers.IntegerField()
    won_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    plan = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    gap = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    warnings = BoardWarningsSerializer()
    attention = serializers.IntegerField()
    top_deals = BoardDealSerializer(many=True)


class BoardSerializer(serializers.Serializer):
    month = serializers.CharField()
    count = serializers.IntegerField(help_text="People on the board (every page).")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = BoardRowSerializer(many=True)


class BoardPagination(Pagination):
    """Pages of people: a page's rows carry their top deals, so a page's cost follows the
    page, not the department (120 people with their deals and facts were 215 KB)."""

    page_size = 20


class BoardView(APIView):
    """The 抓单 board: one row per person in the user's scope (reps needing attention first),
    20 people a page (``page_size`` up to the API's maximum); each row with the person's
    three deals most likely to close and their latest facts."""

    @extend_schema(
        responses=BoardSerializer,
        parameters=[
            OpenApiParameter("team", int),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
    )
    def get(self, request):
        team = None
        if request.query_params.get("team"):
            try:
                team = Team.objects.visible_to(request.user).get(pk=int(request.query_params["team"]))
            except (ValueError, Team.DoesNotExist):
                raise APIValidationError({"team": [_("Choose one of your teams.")]}) from None
        clock = Clock.current()
        # Every person's figures (the order needs them all; kept until the data changes), then
        # the top deals of the page's people only.
        rows = board_summary(viewer=request.user, team=team, clock=clock)
        paginator = BoardPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        top = board_top_deals(viewer=request.user, person_ids=[row.person.pk for row in page], clock=clock)
        for row in page:
            row.top_deals = top.get(row.person.pk, [])
        response = paginator.get_paginated_response(BoardRowSerializer(page, many=True).data)
        response.data = {"month": clock.month_start.strftime("%Y-%m"), **response.data}
        return response
