"""The API of bulk actions: ``POST /api/v1/<list>/bulk/`` on a viewset that declares
``bulk_resource`` (through ``BulkActionMixin``), and ``GET /api/v1/bulk-jobs/{id}/``."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.api import CONFLICT
from core.bulk import (
    MAX_IDS,
    BulkInvalid,
    BulkRefused,
    bulk_start,
    export_selection,
    job_progress,
    read_request,
    resource_named,
)
from core.models import BulkJob


class BulkRequestSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_IDS,
        help_text=f"The rows (ids) to act on, at most {MAX_IDS}. Or `filter`, not both.",
    )
    filter = serializers.DictField(
        required=False,
        help_text="The list's query parameters (its FilterSet, as the list endpoint reads them); "
        "every matching row you may see, at most 10,000.",
    )
    action = serializers.CharField(help_text="One of the list's bulk actions (see the description).")
    params = serializers.DictField(required=False, help_text="The action's parameters.")


class BulkResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["done"])
    total = serializers.IntegerField()
    done = serializers.IntegerField()


class BulkJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    done = serializers.SerializerMethodField()

    class Meta:
        model = BulkJob
        fields = [
            "id",
            "url",
            "resource",
            "action",
            "params",
            "total",
            "done",
            "status",
            "errors",
            "message",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return reverse("bulk-job-detail", args=[job.pk], request=self.context.get("request"))

    def get_done(self, job) -> int:
        return job_progress(job)


BULK_DESCRIPTION = """Apply one action to many rows at once, through the same services and
rules as the single action, in ONE transaction: when any row is refused (including an id
you may not see, which reads exactly like a missing one) nothing changes and the 400 answer
lists `refused`: {id: reason}. Send `ids` (at most 10,000) or `filter` (the list's query
parameters). Up to 500 rows the answer is 200 `{"status": "done", "total", "done"}`; more
rows answer 202 with the job (`url`: `/api/v1/bulk-jobs/{id}/`), run by one background task.
The action `export` (params `{"format": "csv" | "xlsx"}`) answers the selection as a file
with the list export's columns.

Actions and their params — clients: `reassign` {owner}, `set_tier` {tier}, `set_status`
{status}; deals: `reassign` {owner}, `set_forecast_category` {category},
`set_expected_close` {expected_close}; tasks: `reassign` {owner}, `complete` {outcome},
`reschedule` {due_date}; alerts: `acknowledge` {comment}."""


class BulkActionMixin:
    """Adds ``POST <list>/bulk/`` to a viewset whose ``bulk_resource`` names a registered
    core.bulk.BulkResource."""

    bulk_resource: str = ""

    @extend_schema(
        request=BulkRequestSerializer,
        description=BULK_DESCRIPTION,
        responses={
            (200, "application/json"): BulkResultSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="action export, format csv"),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY, description="action export, format xlsx"),
            (202, "application/json"): BulkJobSerializer,
            **CONFLICT,
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk", filterset_class=None, pagination_class=None)
    def bulk(self, request):
        resource = resource_named(self.bulk_resource)
        try:
            bulk = read_request(resource, request.data, request)
            if bulk.action.apply is None:
                return export_selection(request, bulk)
            outcome = bulk_start(request=request, bulk=bulk)
        except BulkInvalid as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        except BulkRefused as error:
            refused = {str(pk): message for pk, message in error.errors.items()}
            return Response({"detail": error.message, "refused": refused}, status=status.HTTP_400_BAD_REQUEST)
        if outcome.job is not None:
            body = BulkJobSerializer(outcome.job, context={"request": request}).data
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
        return Response({"status": "done", "total": outcome.total, "done": outcome.total})


class BulkJobViewSet(viewsets.ReadOnlyModelViewSet):
    """Your own bulk jobs (newest first): how far each got, and the refused rows' reasons."""

    serializer_class = BulkJobSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None

    def get_queryset(self):
        return BulkJob.objects.visible_to(self.request.user)
