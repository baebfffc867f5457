import django_filters
from django.utils.translation import gettext_lazy as _


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Every list filters on ``updated_since`` (ISO datetime) so a client can sync incrementally."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated since (ISO 8601 datetime)"),
    )
