"""Activity norms per role with personal overrides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Role
from targets.models import ActivityNorm
from targets.selectors import effective_norms
from targets.services import norm_delete, norm_set_for_role, norm_set_for_user


def norms_of(viewer):
    return {
        person.username: (person.calls_per_day, person.meetings_per_week, person.has_personal_norm)
        for person in effective_norms(viewer=viewer)
    }


def test_role_norms_apply_and_a_personal_norm_overrides(department):
    norm_set_for_role(actor=department.head, role=Role.REP, calls_per_day=30, meetings_per_week=8)
    norm_set_for_role(actor=department.head, role=Role.SDR, calls_per_day="60", meetings_per_week="3")
    norm_set_for_user(
        actor=department.lead_north, person=department.rep_north_2, calls_per_day=20, meetings_per_week=5
    )
    norms = norms_of(department.head)
    assert norms["rep_north"] == (30, 8, False)
    assert norms["rep_north_2"] == (20, 5, True)
    assert norms["sdr_north"] == (60, 3, False)
    assert norms["lead_north"] == (0, 0, False)
    # setting a role norm again updates it rather than adding a second one
    norm_set_for_role(actor=department.head, role=Role.REP, calls_per_day=35, meetings_per_week=8)
    assert ActivityNorm.objects.filter(role=Role.REP).count() == 1
    assert norms_of(department.rep_north)["rep_north"] == (35, 8, False)


def test_effective_norms_follow_who_the_viewer_sees(department):
    assert set(norms_of(department.rep_south)) == {"rep_south", "lead_south", "am_south"}
    assert "rep_south" not in norms_of(department.lead_north)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"calls_per_day": -1, "meetings_per_week": 1},
            {"calls_per_day": ["Enter a number from 0 to 1000."]},
        ),
        ({"calls_per_day": "x", "meetings_per_week": 1}, {"calls_per_day": ["Enter a whole number."]}),
        (
            {"calls_per_day": 1, "meetings_per_week": 201},
            {"meetings_per_week": ["Enter a number from 0 to 200."]},
        ),
    ],
)
def test_bad_norms_are_refused(department, values, errors):
    with pytest.raises(ValidationError) as error:
        norm_set_for_role(actor=department.head, role=Role.REP, **values)
    assert error.value.message_dict == errors
    assert not ActivityNorm.objects.exists()


@pytest.mark.parametrize("role", ["lead_north", "analyst", "rep_north", "assistant_north"])
def test_only_the_head_sets_role_norms(department, role):
    with pytest.raises(PermissionDenied):
        norm_set_for_role(
            actor=getattr(department, role), role=Role.REP, calls_per_day=1, meetings_per_week=1
        )
    assert not ActivityNorm.objects.exists()


@pytest.mark.parametrize(
    ("role", "error"),
    [("lead_south", Http404), ("rep_north", PermissionDenied), ("analyst", PermissionDenied)],
)
def test_who_may_not_set_rep_north_2s_personal_norm(department, role, error):
    with pytest.raises(error):
        norm_set_for_user(
            actor=getattr(department, role),
            person=department.rep_north_2,
            calls_per_day=1,
            meetings_per_week=1,
        )
    assert not ActivityNorm.objects.exists()


def test_removing_a_personal_norm(department):
    norm = norm_set_for_user(
        actor=department.head, person=department.rep_south, calls_per_day=5, meetings_per_week=1
    )
    with pytest.raises(PermissionDenied):
        norm_delete(actor=department.lead_north, norm=norm)
    assert ActivityNorm.objects.filter(pk=norm.pk).exists()
    norm_delete(actor=department.lead_south, norm=norm)
    assert not ActivityNorm.objects.exists()
