"""``GET /api/v1/search/?q=``: the header search as JSON, one key per registered kind
(clients, contacts, deals; tasks when registered), at most 10 hits each."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from deals.search import MAX_LENGTH, MIN_LENGTH, REGISTRY, SearchTermError, clean_term, search


class SearchHitSerializer(serializers.Serializer):
    """Every hit has these; each kind adds its own fields (a client's tax id, a deal's stage)."""

    id = serializers.IntegerField()
    label = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()


class SearchView(APIView):
    """Clients (name, legal name, tax id, phone, a contact's name/phone/e-mail), contacts
    (name, phone, e-mail) and deals (title, client name) the user sees."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description=f"{MIN_LENGTH} to {MAX_LENGTH} characters")
        ],
        responses=inline_serializer(
            "SearchResults", fields={key: SearchHitSerializer(many=True) for key in REGISTRY}
        ),
    )
    def get(self, request):
        try:
            term = clean_term(request.query_params.get("q", ""))
        except SearchTermError as error:
            raise APIValidationError({"q": [str(error)]}) from None
        results = search(viewer=request.user, term=term)
        return Response({key: [hit.as_json() for hit in hits] for key, hits in results.items()})
