"""Filter building blocks shared by every app's FilterSets (pages and API alike).

Bad filter values must give a form error / 400, never a 500: ids beyond what a database
integer holds and dates outside a sane range are rejected before they reach the query."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.fields import BaseCSVField, IsoDateTimeField

from core.ordering import ordering_terms

MAX_ID = 2**63 - 1
EARLIEST_YEAR = 1900
LATEST_YEAR = 9998
# PostgreSQL takes UTC offsets up to ±15:59 (Python up to ±23:59): a larger one is a
# DataError in the query, so it is refused where the value is read.
MAX_UTC_OFFSET = datetime.timedelta(hours=15, minutes=59)


# The longest search a list takes: more is no name, title or phone anyone types, and a pattern
# that long only costs the database; the page shows the form's message, the API answers 400.
SEARCH_MAX_LENGTH = 100


class SearchFilter(django_filters.CharFilter):
    """A list's free-text search, bounded to SEARCH_MAX_LENGTH characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(*args, **kwargs)


def parse_id(value) -> int | None:
    """A value as a record id, or None when it is not one: not ASCII digits (``"²".isdigit()``
    is True), zero, or more than a database integer holds. The length is checked before
    ``int()``, which refuses (ValueError) a string of more than 4,300 digits."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def _check_id(value) -> None:
    if value in (None, ""):
        return
    if parse_id(value) is None:
        raise ValidationError(
            _("Select a valid choice. That choice is not one of the available choices."),
            code="invalid_choice",
        )


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices read with one ordinary query. Django's iterator() opens a server-side
    cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips and a held cursor) for what
    is a short list of people, teams or stages; each filter form renders several."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that rejects non-numeric and out-of-range ids before querying."""

    iterator = ListedChoiceIterator

    def to_python(self, value):
        if value not in self.empty_values:
            _check_id(value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoiceIterator

    def _check_values(self, value):
        for item in value:
            _check_id(item)
        return super()._check_values(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = BoundedModelChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = BoundedModelMultipleChoiceField


def check_date_in_range(value) -> None:
    """Reject dates and datetimes whose arithmetic or time-zone shift would overflow, and
    datetimes with a UTC offset the database cannot store."""
    if value is None:
        return
    year = value.year
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            code="out_of_range",
        )
    offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValidationError(
            _("Enter a time zone offset between -15:59 and +15:59."), code="offset_out_of_range"
        )


class BoundedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        try:
            result = super().to_python(value)
        except OverflowError:
            raise ValidationError(_("Enter a valid date/time."), code="invalid") from None
        check_date_in_range(result)
        return result


class BoundedDateField(forms.DateField):
    def to_python(self, value):
        result = super().to_python(value)
        check_date_in_range(result)
        return result


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class OrderingCSVField(BaseCSVField):
    """The terms of an ordering filter with empty ones ("", "-", the gaps in ",,name")
    dropped before each is checked against the choices: an empty term would reach
    ``order_by`` as an empty field name."""

    def clean(self, value):
        if value is not None:
            value = ordering_terms(value)
        return super().clean(value)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter, read strictly: empty terms dropped, an unknown
    field a form error / 400 naming the value."""

    base_field_class = OrderingCSVField


def _bounded_defaults() -> dict:
    from copy import deepcopy

    from django.db import models
    from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

    defaults = deepcopy(FILTER_FOR_DBFIELD_DEFAULTS)
    for field_class in (models.ForeignKey, models.OneToOneField, models.OneToOneRel):
        if field_class in defaults:
            defaults[field_class]["filter_class"] = ModelChoiceFilter
    for field_class in (models.ManyToManyField, models.ManyToOneRel, models.ManyToManyRel):
        if field_class in defaults:
            defaults[field_class]["filter_class"] = ModelMultipleChoiceFilter
    defaults[models.DateField] = {"filter_class": DateFilter}
    defaults[models.DateTimeField] = {"filter_class": IsoDateTimeFilter}
    return defaults


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Every list filters on ``updated_since`` (ISO datetime) so a client can sync incrementally."""

    updated_since = IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated since (ISO 8601 datetime)"),
    )

    # Filters generated from Meta.fields get the bounded versions too.
    FILTER_DEFAULTS = _bounded_defaults()


class FormClassOnce:
    """A FilterSet whose form class is built once per FilterSet class and process.

    django-filter builds the form class again on every request: a new field for each
    filter, then a new class (Django's form metaclass), then the form copies the fields
    once more. A FilterSet that uses this keeps the class. The choices that depend on who
    asks (a ``queryset`` given as a function of the request: the people and teams the
    viewer sees) are left empty in the kept class and given to each form it makes, so no
    viewer's choices reach another's form. An instance whose filters are not the class's
    (an ``__init__`` that adds or drops some) gets a form class of its own, as without this."""

    def get_form_class(self):
        cls = type(self)
        names = tuple(self.filters)
        kept = cls.__dict__.get("_form_class")
        if kept is not None:
            if kept[0] == names:
                return kept[1]
            return super().get_form_class()
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        for name, filter_ in self.filters.items():
            if _per_request(filter_):
                fields[name].queryset = fields[name].queryset.none()  # not this viewer's
        form_class = type(f"{cls.__name__}Form", (self._meta.form,), fields)
        if names == tuple(cls.base_filters):  # only the class's own filters are kept
            cls._form_class = (names, form_class)
        return form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, filter_ in self.filters.items():
                if _per_request(filter_):
                    form.fields[name].queryset = filter_.get_queryset(self.request)
        return self._form


def _per_request(filter_) -> bool:
    return isinstance(filter_, django_filters.filters.QuerySetRequestMixin) and callable(filter_.queryset)


__all__ = [
    "FormClassOnce",
    "DateFilter",
    "IsoDateTimeFilter",
    "ModelChoiceFilter",
    "ModelMultipleChoiceFilter",
    "OrderingFilter",
    "UpdatedSinceFilterSet",
    "check_date_in_range",
]
