from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.filters import TeamFilter, UserFilter
from accounts.handover import MAX_ASSIGNMENTS, MAX_RECEIVERS, BookNotEmpty, book_hand_over, hand_over_plan
from accounts.models import ApiToken, HandOver, Team, User
from accounts.rules import may_see_hand_overs
from accounts.selectors import api_token_list, hand_over_list, hand_over_receiver_counts, team_list, user_list
from accounts.services import (
    LoginLocked,
    api_token_create,
    api_token_revoke,
    sign_in_authenticate,
    user_deactivate,
)
from accounts.visibility import get_visible_or_404
from core.api import CONFLICT
from core.idempotency import AnswersNotKept


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


class TokenObtainView(AnswersNotKept, APIView):
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
    AnswersNotKept,
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


class HandOverRequestSerializer(serializers.Serializer):
    """Either ``to`` (an even split; ``split`` is "even") or ``assignments``."""

    to = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        max_length=MAX_RECEIVERS,
        help_text=_("Receivers' ids: active reps or account managers (of the owner's team for a lead)."),
    )
    split = serializers.ChoiceField(choices=["even"], required=False, default="even")
    assignments = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=_("Client id → receiver id, one for every client of the book."),
    )

    def validate(self, attrs):
        if ("to" in attrs) == ("assignments" in attrs):
            raise serializers.ValidationError(_("Give either “to” (an even split) or “assignments”."))
        if len(attrs.get("assignments", {})) > MAX_ASSIGNMENTS:
            raise serializers.ValidationError(
                {"assignments": _("Name at most %(limit)d clients.") % {"limit": MAX_ASSIGNMENTS}}
            )
        return attrs


HAND_OVER_COUNTS = {
    "clients": serializers.IntegerField(),
    "tasks": serializers.IntegerField(),
    "alerts": serializers.IntegerField(),
    "installments": serializers.IntegerField(),
    "deals": serializers.IntegerField(),
}
HandOverAnswer = inline_serializer(
    "HandOverAnswer",
    {
        "from": serializers.IntegerField(),
        "to": inline_serializer(
            "HandOverReceiver",
            {
                "user": serializers.IntegerField(),
                "clients": serializers.ListField(child=serializers.IntegerField()),
                **HAND_OVER_COUNTS,
            },
            many=True,
        ),
        "totals": inline_serializer("HandOverTotals", HAND_OVER_COUNTS),
        "fingerprint": serializers.CharField(),
        "dry_run": serializers.BooleanField(),
        "hand_over": serializers.IntegerField(allow_null=True),
    },
)
BookNotEmptyAnswer = inline_serializer(
    "BookNotEmpty",
    {"detail": serializers.CharField(), "book": inline_serializer("BookCounts", HAND_OVER_COUNTS)},
)
DRY_RUN = {"1": True, "true": True, "0": False, "false": False, "": False}


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering_fields = ["username", "last_name", "role", "updated_at"]
    ordering = ["last_name", "first_name", "username"]

    def get_queryset(self):
        return user_list(viewer=self.request.user)

    def _person(self, pk) -> User:
        # A deactivated person's book may still need handing over: look among everyone visible.
        return get_visible_or_404(User.objects.all(), self.request.user, pk=pk)

    @extend_schema(
        request=HandOverRequestSerializer,
        parameters=[
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                description=_("1: answer the preview (the same counts) and change nothing."),
            )
        ],
        responses={200: HandOverAnswer, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over", filter_backends=[])
    def hand_over(self, request, pk=None):
        """Hand this person's book (clients, open deals, open tasks, installments to follow up,
        open alerts) to colleagues in one transaction: `{"to": [ids], "split": "even"}` deals
        the clients out in turn (by name), `{"assignments": {"<client id>": user id}}` names a
        receiver per client. A head anywhere, a lead within the team. `?dry_run=1` answers the
        same counts and changes nothing; a second hand-over racing this one answers 409."""
        dry_run = DRY_RUN.get(request.query_params.get("dry_run", "").lower())
        if dry_run is None:
            raise serializers.ValidationError({"dry_run": [_("Use 1 or 0.")]})
        owner = self._person(pk)
        serializer = HandOverRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choice = {
            key: serializer.validated_data[key]
            for key in ("to", "assignments")
            if key in serializer.validated_data
        }
        plan = hand_over_plan(by=request.user, owner=owner, **choice)
        record = None
        if not dry_run:
            record = book_hand_over(by=request.user, owner=owner, expected=plan.fingerprint(), **choice)
        return Response({**plan.as_data(), "dry_run": dry_run, "hand_over": record.pk if record else None})

    @extend_schema(
        request=None,
        responses={
            200: UserSerializer,
            409: OpenApiResponse(BookNotEmptyAnswer, description=_("Hand the book over first.")),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def deactivate(self, request, pk=None):
        """Deactivate this person (the head): they can no longer sign in and their tokens stop
        working. While their book holds work the answer is 409 with its counts: hand it over
        first (`POST /api/v1/users/{id}/hand-over/`)."""
        person = self._person(pk)
        try:
            person = user_deactivate(user=person, by=request.user)
        except BookNotEmpty as not_empty:
            return Response(
                {"detail": not_empty.messages[0], "book": not_empty.book.totals},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(UserSerializer(person).data)


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    search_fields = ["name"]
    ordering_fields = ["name", "updated_at"]
    ordering = ["name"]

    def get_queryset(self):
        return team_list(viewer=self.request.user)


# The kinds of rows a hand-over moves (HAND_OVER_COUNTS above became a serializer's class
# body: inline_serializer consumes the dict it is given, so each schema gets a fresh one).
HAND_OVER_KEYS = ["clients", "tasks", "alerts", "installments", "deals"]


def _counts() -> dict:
    return {key: serializers.IntegerField() for key in HAND_OVER_KEYS}


class HandOverSerializer(serializers.ModelSerializer):
    """A past hand-over: when, by whom, whose book (``from``), and for each receiver how many
    rows of each kind moved; ``totals`` sums the receivers."""

    by_name = serializers.CharField(source="by.full_name", read_only=True)
    from_name = serializers.CharField(source="giver.full_name", read_only=True)
    to = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = HandOver
        fields = ["id", "created_at", "by", "by_name", "from_name", "to", "totals"]

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.PrimaryKeyRelatedField(source="giver", read_only=True)
        return fields

    @extend_schema_field(
        inline_serializer(
            "HandOverListReceiver",
            {"user": serializers.IntegerField(), "name": serializers.CharField(), **_counts()},
            many=True,
        )
    )
    def get_to(self, record: HandOver) -> list[dict]:
        keys = HAND_OVER_KEYS
        return [
            {"user": person.pk, "name": person.full_name, **dict(zip(keys, counts, strict=True))}
            for person, counts in hand_over_receiver_counts(record, keys)
        ]

    @extend_schema_field(inline_serializer("HandOverListTotals", _counts()))
    def get_totals(self, record: HandOver) -> dict:
        totals = record.totals()
        return {key: int(totals.get(key, 0)) for key in HAND_OVER_KEYS}


class MaySeeHandOvers(BasePermission):
    def has_permission(self, request, view) -> bool:
        return may_see_hand_overs(request.user)


class HandOverViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Past hand-overs of books, newest first: the head sees all of them, a lead their
    teams' (the page /people/hand-overs/ shows the same); anyone else gets 403."""

    serializer_class = HandOverSerializer
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, MaySeeHandOvers]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        return hand_over_list(viewer=self.request.user)
