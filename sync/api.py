from rest_framework import mixins, serializers, viewsets

from sync.filters import TombstoneFilter
from sync.models import Tombstone


class TombstoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", help_text="The deleted record's id.")

    class Meta:
        model = Tombstone
        fields = ["model", "id", "deleted_at", "merged_into"]


class DeletionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """What was deleted (or merged into another record) since ``since``: a client that syncs
    with ``updated_since`` drops these rows from its copy; ``merged_into`` names the survivor
    to re-link to. Only records the caller could see are listed; kept for
    ``TOMBSTONE_RETENTION_DAYS`` days."""

    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilter
    queryset = Tombstone.objects.none()
    search_fields: list[str] = []
    ordering_fields = ["deleted_at"]
    ordering = ["deleted_at", "id"]

    def get_queryset(self):
        return Tombstone.objects.visible_to(self.request.user).order_by("deleted_at", "id")
