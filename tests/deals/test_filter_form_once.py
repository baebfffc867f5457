"""The deal filters' form class is built once per process (core.filters.FormClassOnce), and
each viewer's form still offers only the people and teams that viewer sees."""

import pytest
from django.test import RequestFactory

from accounts.roles import Role, has_role
from deals.filters import DealFilter, PipelineFilter
from deals.models import Deal


def filter_for(user, cls=DealFilter, **data):
    request = RequestFactory().get("/deals/list/", data)
    request.user = user
    return cls(request.GET, queryset=Deal.objects.all(), request=request)


def choices(filterset, name):
    return [label for value, label in filterset.form.fields[name].choices if value != ""]


@pytest.mark.django_db
def test_each_viewer_gets_their_own_choices_from_one_form_class(department):
    head = filter_for(department.head)
    rep = filter_for(department.rep_north)
    lead = filter_for(department.lead_south)
    assert type(head.form) is type(rep.form) is type(lead.form)

    people = {person.pk for person in (department.head, department.rep_north, department.rep_south)}
    head_owners = [value.value for value, _ in head.form.fields["owner"].choices if value != ""]
    assert people <= set(head_owners)
    assert choices(rep, "owner") == [str(department.rep_north)]
    assert choices(rep, "team") == [department.north.name]
    assert choices(lead, "team") == [department.south.name]
    assert {department.north.name, department.south.name} <= set(choices(head, "team"))
    # the first viewer's choices did not stay in the kept class for the next ones
    assert choices(filter_for(department.rep_north), "owner") == [str(department.rep_north)]


@pytest.mark.django_db
def test_a_choice_outside_the_viewers_scope_is_a_form_error(department):
    refused = filter_for(department.rep_north, owner=department.rep_south.pk)
    assert not refused.is_valid()
    assert "owner" in refused.errors
    allowed = filter_for(department.head, owner=department.rep_south.pk)
    assert allowed.is_valid(), allowed.errors
    assert filter_for(department.rep_north, owner=department.rep_north.pk).is_valid()


@pytest.mark.django_db
def test_the_kanban_filters_keep_a_class_of_their_own(department):
    kanban = filter_for(department.rep_north, PipelineFilter)
    deals = filter_for(department.rep_north)
    assert type(kanban.form) is not type(deals.form)
    assert "q" in deals.form.fields and "q" not in kanban.form.fields
    assert choices(kanban, "owner") == [str(department.rep_north)]


def filters_without_search_for_reps():
    """A new FilterSet class whose instances drop the search for a rep."""

    class WithoutSearchForReps(DealFilter):
        def __init__(self, *args, request=None, **kwargs):
            super().__init__(*args, request=request, **kwargs)
            if has_role(request.user, Role.REP):
                del self.filters["q"]

    return WithoutSearchForReps


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["rep_north", "head"])
def test_an_instance_that_drops_a_filter_gets_a_form_without_it(department, first):
    cls = filters_without_search_for_reps()
    assert filter_for(getattr(department, first), cls).form  # the first form the class makes
    rep = filter_for(department.rep_north, cls)
    head = filter_for(department.head, cls)
    assert "q" not in rep.form.fields
    assert "q" in head.form.fields
    assert choices(rep, "owner") == [str(department.rep_north)]
    assert str(department.rep_south) in choices(head, "owner")
