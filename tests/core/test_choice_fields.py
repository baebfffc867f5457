"""The filters' choice fields read their choices with one ordinary query: on PostgreSQL,
Django's default opens a server-side cursor (DECLARE, FETCH, CLOSE) for every select."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.filters import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field_class", [BoundedModelChoiceField, BoundedModelMultipleChoiceField])
def test_a_select_reads_its_choices_with_one_plain_query(field_class):
    ann = UserFactory(username="ann")
    bob = UserFactory(username="bob")
    field = field_class(queryset=User.objects.filter(username__in=["ann", "bob", "cid"]).order_by("username"))
    empty = [""] if field_class is BoundedModelChoiceField else []

    def no_cursor(*args, **kwargs):
        raise AssertionError("a choice list read through iterator(): a server-side cursor on PostgreSQL")

    with CaptureQueriesContext(connection) as queries, mock.patch.object(QuerySet, "iterator", no_cursor):
        values = [str(value) for value, _label in field.choices]
    assert values == [*empty, str(ann.pk), str(bob.pk)]
    assert len(queries.captured_queries) == 1
    assert not queries.captured_queries[0]["sql"].startswith("DECLARE")
    # each rendering reads them afresh: no choice list kept from before
    cid = UserFactory(username="cid")
    with CaptureQueriesContext(connection) as queries:
        values = [str(value) for value, _label in field.choices]
    assert values == [*empty, str(ann.pk), str(bob.pk), str(cid.pk)]
    assert len(queries.captured_queries) == 1


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_form_of_the_apps_chooses_records_through_the_bounded_fields():
    """One choice field for the project, declared or made by a ModelForm: ids the database
    cannot hold are refused before the query, and the choices are read without a server-side
    cursor."""
    from django import forms

    import clients.forms  # noqa: F401  (importing the modules registers their forms)
    import deals.forms  # noqa: F401
    import deals.quick_log  # noqa: F401
    import targets.forms  # noqa: F401

    apps = ("accounts.", "clients.", "deals.", "documents.", "targets.", "reports.", "integrations.")
    checked, plain = [], []
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith(apps) or form.__module__.endswith(".admin"):
            continue  # the admin's own forms keep Django's fields
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.ModelChoiceField):
                checked.append(f"{form.__qualname__}.{name}")
                if not isinstance(field, (BoundedModelChoiceField, BoundedModelMultipleChoiceField)):
                    plain.append(f"{form.__module__}.{form.__qualname__}.{name}")
    assert len(checked) >= 17
    assert plain == []
