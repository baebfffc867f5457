from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.filters import TeamFilter, UserFilter
from accounts.models import ApiToken, Team, User
from accounts.selectors import api_token_list, team_list, user_list
from accounts.services import LoginLocked, api_token_create, api_token_revoke, sign_in_authenticate


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField()


class SignInErrorSerializer(serializers.Serializer):
    """Wrong credentials (non_field_errors), a field's own error (a missing or invalid
    username or password), or a body that is not JSON (detail)."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    username = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)


class TokenObtainView(APIView):
    """Exchange a username and password for a new API token (header ``Authorization: Token …``),
    named "API sign-in"; it expires after API_TOKEN_TTL_DAYS days. Wrong passwords count
    towards the same sign-in lockout as the login page: a locked sign-in answers 429."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: SignInErrorSerializer,
            429: OpenApiResponse(SignInErrorSerializer, description="Sign-in locked; see Retry-After."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = sign_in_authenticate(
                request=request._request,
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
        issued = api_token_create(user=user, name=str(API_SIGN_IN_TOKEN_NAME))
        return Response({"token": issued.key, "expires": issued.token.expires_at})


API_SIGN_IN_TOKEN_NAME = _("API sign-in")


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: the key itself only in the answer to its creation."""

    key = serializers.SerializerMethodField()
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key",
            "key_prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = ["key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]

    def get_key(self, token: ApiToken) -> str | None:
        return self.context.get("issued_keys", {}).get(token.pk)

    def get_is_active(self, token: ApiToken) -> bool:
        from django.utils import timezone

        return token.revoked_at is None and token.expires_at > timezone.now()


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own API tokens: list, create (the key is in this answer only) and
    delete (= revoke: the token stays listed, marked revoked)."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # the schema's type for the path; get_queryset() answers
    filter_backends: list = []

    def get_queryset(self):
        return api_token_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = api_token_create(user=request.user, name=serializer.validated_data["name"])
        answer = ApiTokenSerializer(issued.token, context={"issued_keys": {issued.token.pk: issued.key}})
        return Response(answer.data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        api_token_revoke(token=instance)


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    team = TeamBriefSerializer(read_only=True, allow_null=True)

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
