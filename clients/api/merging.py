"""Merging duplicates over the API: ``POST {id}/merge/`` and the 410 pointer a merged-away
id answers, for clients and contacts (``MergeMixin``)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.reverse import reverse

from clients.duplicates import merged_into
from clients.models import Client, Contact
from core.api import VisibleRelatedField


class MergeFieldsField(serializers.DictField):
    child = serializers.ChoiceField(choices=["survivor", "duplicate"])


class MergeRequestSerializer(serializers.Serializer):
    fields = MergeFieldsField(
        required=False,
        default=dict,
        help_text=_(
            'Which side\'s value wins, per field: "survivor" or "duplicate". A field not named keeps '
            "the survivor's value, or takes the duplicate's where the survivor has none."
        ),
    )


class ClientMergeSerializer(MergeRequestSerializer):
    duplicate = VisibleRelatedField(Client, help_text=_("The client merged into this one and deleted."))


class ContactMergeSerializer(MergeRequestSerializer):
    duplicate = VisibleRelatedField(Contact, help_text=_("The contact merged into this one and deleted."))


class MergedAwaySerializer(serializers.Serializer):
    detail = serializers.CharField()
    merged_into = serializers.IntegerField(help_text=_("The surviving record's id."))
    url = serializers.URLField(help_text=_("The surviving record's API address."))


MERGED_AWAY = {
    410: OpenApiResponse(
        response=MergedAwaySerializer,
        description=_(
            "The record was merged into another one (a merge of duplicates): re-link to `merged_into`. "
            "Answered only when the caller sees the survivor; otherwise 404."
        ),
    )
}


class MergedAway(Exception):
    """The requested record was merged into ``survivor_id``: answered 410 with a pointer."""

    def __init__(self, *, survivor_id: int, message: str):
        self.survivor_id = survivor_id
        self.message = message
        super().__init__(message)


class MergeMixin:
    """``POST {id}/merge/`` and the 410 pointer of a merged-away id, for clients and contacts."""

    merge_serializer: type[serializers.Serializer]
    merge_service = None
    merged_message = ""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            survivor_id = merged_into(viewer=self.request.user, model=self.queryset_model, pk=pk)
            if survivor_id is None:
                raise
            raise MergedAway(
                survivor_id=survivor_id, message=self.merged_message % {"id": pk, "survivor": survivor_id}
            ) from None

    def handle_exception(self, exc):
        if isinstance(exc, MergedAway):
            url = self.request.build_absolute_uri(
                reverse(f"{self.basename}-detail", kwargs={"pk": exc.survivor_id})
            )
            body = {"detail": exc.message, "merged_into": exc.survivor_id, "url": url}
            return Response(body, status=status.HTTP_410_GONE)
        return super().handle_exception(exc)

    def _merge(self, request):
        survivor = self.get_object()
        serializer = self.merge_serializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        outcome = type(self).merge_service(
            by=request.user,
            survivor=survivor,
            duplicate=serializer.validated_data["duplicate"],
            fields=serializer.validated_data["fields"],
        )
        return outcome.survivor
