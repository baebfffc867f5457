from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.filters import TeamFilter, UserFilter
from accounts.models import Team, User
from accounts.selectors import team_list, user_list
from accounts.services import LoginLocked, throttled_authenticate


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange a username and password for an API token (header ``Authorization: Token …``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = throttled_authenticate(
                request=request,
                username=serializer.validated_data["username"],
                password=serializer.validated_data["password"],
            )
        except LoginLocked as locked:
            return Response(
                {"non_field_errors": [locked.message()]},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(locked.seconds_left)},
            )
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [str(_("Wrong username or password."))]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    team = TeamBriefSerializer(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "role",
            "team",
            "updated_at",
        ]


class TeamSerializer(serializers.ModelSerializer):
    lead = serializers.PrimaryKeyRelatedField(read_only=True)
    lead_name = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "name", "lead", "lead_name", "updated_at"]

    def get_lead_name(self, team: Team) -> str | None:
        return team.lead.full_name if team.lead else None


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering_fields = ["username", "last_name", "role", "updated_at"]
    ordering = ["last_name", "first_name", "username"]

    def get_queryset(self):
        return user_list(viewer=self.request.user)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        return team_list(viewer=self.request.user)
