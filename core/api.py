"""API conventions shared by every endpoint: pagination, strict ordering and JSON errors
(the bounded JSON parser is core.parsers: DRF's views read the parser setting on import)."""

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, filters, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, RecordChanged, is_lost_race
from core.ordering import parse_ordering
from core.tables import full_page


class LeanCountPaginator(DjangoPaginator):
    """Django's paginator counting ``count_queryset`` instead of the page's queryset: the
    same rows without the annotations and joins the page needs (a list's COUNT then joins
    only what its filters use); or asking ``counted()`` (a count kept between requests)."""

    def __init__(self, object_list, per_page, *, count_queryset=None, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset
        self.counted = counted

    @cached_property
    def count(self) -> int:
        if self.counted is not None:
            return self.counted()
        if self.count_queryset is not None:
            return self.count_queryset.count()
        return super().count

    def page(self, number):
        if self.counted is not None:  # a kept count: it must not cut the page's rows short
            return full_page(self, number)
        return super().page(number)


class Pagination(PageNumberPagination):
    """Page-number pagination; a view with ``count_queryset(queryset)`` has its total counted
    on what that returns (the same filtered rows, without the page's annotations), and one
    with ``kept_count(queryset)`` takes its total from that (a count kept while the data
    stays)."""

    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        kept = getattr(view, "kept_count", None)
        counting = getattr(view, "count_queryset", None)
        if kept is not None:
            self.django_paginator_class = partial(LeanCountPaginator, counted=lambda: kept(queryset))
        elif counting is not None:
            self.django_paginator_class = partial(LeanCountPaginator, count_queryset=counting(queryset))
        return super().paginate_queryset(queryset, request, view)

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering backend with the shared strict reading of ``ordering``: empty terms
    (",", "-", "name,,"), malformed ones and unknown fields are dropped, as DRF drops
    unknown fields; with nothing left the view's default order applies."""

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param)
        if value:
            valid_fields = [item[0] for item in self.get_valid_fields(queryset, view, {"request": request})]
            ordering = parse_ordering(value, valid_fields)
            if ordering:
                return ordering
        return self.get_default_ordering(view)


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError as a 400 with field messages, a
    body over Django's upload limits as a JSON 413 / 400 (Django alone answers an HTML page),
    and a lost race (core.errors.Conflict, a deadlock) as a 409."""
    if isinstance(exc, RecordChanged) and context["request"].headers.get("If-Match"):
        message = _(
            "The record changed since you read it (If-Match): read it again and send your change again."
        )
        return Response({"detail": message}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, Conflict) or is_lost_race(exc):
        message = exc.message if isinstance(exc, Conflict) else Conflict().message
        return Response({"detail": str(message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is larger than %(limit)d bytes.") % {"limit": _upload_limit()}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        return Response(
            {"detail": _("The request has more fields than the server accepts.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()


# ``responses={200: ..., **CONFLICT}`` on an operation whose service locks a row: a
# concurrent change got there first (core.errors.Conflict).
CONFLICT = {
    409: OpenApiResponse(
        response=ConflictSerializer,
        description="Someone else changed or removed the record at the same time; reload and try again.",
    )
}


# --- Conditional updates: the ETag of a record's answer, If-Match on its update ---------------
# A REST client that reads a record, changes it and sends it back (a PUT sends every field)
# would undo a change someone made in between. A record's detail answers carry its version as
# an ETag (its ``updated_at``); an update sent with ``If-Match: <that ETag>`` is written only
# if the record is still at that version, otherwise 412 and nothing is written.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of the record as read: the update is refused (412) if it changed since.",
)
PRECONDITION_FAILED = {
    412: OpenApiResponse(
        response=ConflictSerializer,
        description="If-Match did not match: the record changed since it was read; read it again.",
    )
}


def etag_of(data) -> str | None:
    """The ETag of a record's answer (its ``updated_at``), or None for an answer without one."""
    version = data.get("updated_at") if isinstance(data, dict) else None
    return f'"{version}"' if version else None


def expected_version(request) -> dict | None:
    """What ``If-Match`` says the record's ``updated_at`` is, for the service's compare-and-set
    (``shown``); None without the header or with ``*``. An ETag this API did not give matches
    no version: the update is refused as changed."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    try:
        return {"updated_at": datetime.datetime.fromisoformat(value)}
    except ValueError:
        return {"updated_at": None}


class VersionedDetail:
    """A viewset whose record answers (retrieve, create, update) carry an ETag."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        etag = etag_of(getattr(response, "data", None)) if response.status_code in (200, 201) else None
        if etag and getattr(self, "action", None) in ("retrieve", "create", "update", "partial_update"):
            response["ETag"] = etag
        return response


def _upload_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0


@extend_schema_field(OpenApiTypes.INT)
class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a record the requesting user may see: anything else reads as "does
    not exist", exactly like a missing id, so an answer never tells that a hidden record
    exists. ``model`` is a model class with a ``visible_to`` manager, or its
    "app_label.Model" label (for a model of an app this one may not import)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        model = self.model
        if isinstance(model, str):
            from django.apps import apps

            model = apps.get_model(model)
        return model.objects.visible_to(self.context["request"].user)
