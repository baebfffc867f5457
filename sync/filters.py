import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import IsoDateTimeFilter
from sync.models import Tombstone


def _model_choices():
    from sync.services import tombstone_models

    return [(name, name) for name in sorted(tombstone_models())]


class TombstoneFilter(django_filters.FilterSet):
    since = IsoDateTimeFilter(
        field_name="deleted_at", lookup_expr="gte", label=_("Deleted since (ISO 8601 datetime)")
    )
    model = django_filters.ChoiceFilter(choices=_model_choices, label=_("Record type"))

    class Meta:
        model = Tombstone
        fields: list[str] = []
