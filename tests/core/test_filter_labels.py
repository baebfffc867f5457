"""Every filter of every FilterSet is labelled in the reader's language, also after the API
schema has been generated: drf-spectacular builds the form field of each filter it documents,
and a filter declared without a label then keeps a field labelled with nothing, which a form
shows as its name in English ("Role" on the Russian people page)."""

import django_filters
import pytest
from django.utils import translation
from django.utils.functional import Promise

from tests.openapi import openapi_document

APPS = {"accounts", "clients", "deals", "documents", "targets", "reports", "integrations", "core", "sync"}


def project_filtersets():
    pending, found = [django_filters.FilterSet], []
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in APPS:
                found.append(subclass)
    return sorted(set(found), key=lambda cls: (cls.__module__, cls.__qualname__))


def test_there_are_filtersets_to_check():
    assert len(project_filtersets()) >= 20


@pytest.mark.parametrize(
    "filterset", project_filtersets(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_no_filter_keeps_a_field_without_a_label_after_the_schema(filterset):
    with translation.override("en"):
        openapi_document()  # once per process
    unlabelled = [
        name
        for name, filter_ in filterset.base_filters.items()
        if "_field" in filter_.__dict__ and filter_.__dict__["_field"].label is None
    ]
    assert unlabelled == []
    plain = [
        name
        for name, filter_ in filterset.base_filters.items()
        if filter_._label is not None and not isinstance(filter_._label, Promise)
    ]
    assert plain == []  # a label written as a plain string is never translated


@pytest.mark.parametrize(
    "filterset", project_filtersets(), ids=lambda cls: f"{cls.__module__}.{cls.__name__}"
)
def test_no_choice_filter_offers_dashes_for_no_choice(filterset):
    """A select's "no choice" option says so in the reader's language: "Any" unless the filter
    names its own ("Everyone", "All teams"); django-filter's "---------" stood beside them."""
    dashed = [
        name
        for name, filter_ in filterset.base_filters.items()
        if isinstance(filter_, django_filters.ChoiceFilter)
        and str(filter_.extra.get("empty_label")) == "---------"
    ]
    assert dashed == []


@pytest.mark.django_db
def test_the_deal_lists_stage_status_and_type_say_any_in_russian(rf, department):
    from deals.filters import DealFilter
    from deals.models import Deal

    request = rf.get("/deals/list/")
    request.user = department.head
    with translation.override("ru"):
        form = DealFilter({}, queryset=Deal.objects.none(), request=request).form
        first = {
            name: str(list(form.fields[name].choices)[0][1]) for name in ("stage", "status", "deal_type")
        }
    assert first == {"stage": "Любой", "status": "Любой", "deal_type": "Любой"}
