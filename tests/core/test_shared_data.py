"""What each test gets of the data shared by consecutive tests of a module (tests/shared_data.py):
a copy of its own, shared references still shared within it, so a change a test makes in
memory never reaches the next one; and that a test asking for the small department does share
it. An autouse fixture the mechanism does not know stops the sharing for every test (the suite
then takes minutes more), so the last two tests fail when one is added without being named
harmless there."""

import pytest

from accounts.models import Role, Team, User
from tests.shared_data import _Open, share_key


def _department():
    north = Team(pk=1, name="North")
    rep = User(pk=2, username="rep", role=Role.REP, team=north)
    return {"north": north, "rep": rep, "people": [rep]}


def test_each_copy_is_its_own_and_keeps_shared_references_shared():
    kept = _Open()
    kept.keep(_department())
    assert kept.pickled is not None

    first = kept.copy()
    first["rep"].first_name = "Changed in memory"
    first["north"].name = "Renamed"
    second = kept.copy()

    assert second["rep"].first_name == "" and second["north"].name == "North"
    assert second["rep"] is not first["rep"] and second["rep"] is not kept.values["rep"]
    assert second["rep"].team is second["north"]  # one copy for all: the rep's team is the team
    assert second["people"][0] is second["rep"]
    assert (second["rep"].pk, second["north"].pk) == (2, 1)


def test_what_cannot_be_pickled_is_deep_copied():
    kept = _Open()
    values = {**_department(), "build": lambda: None}
    kept.keep(values)
    assert kept.pickled is None

    copied = kept.copy()
    copied["rep"].first_name = "Changed in memory"
    assert kept.copy()["rep"].first_name == ""
    assert copied["rep"].team is copied["north"]


@pytest.mark.django_db
def test_a_test_with_the_department_shares_it(request, department):
    assert share_key(request.node) == (request.node.module, ("department",))


@pytest.mark.django_db
def test_the_next_test_reads_the_same_rows(request, department):
    from tests.shared_data import _open

    assert _open.key == share_key(request.node)
    assert _open.atomic is not None
