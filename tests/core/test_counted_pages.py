"""A count kept from a little earlier (core.versions.kept_figures) numbers the pages but never
cuts a page's rows short: Django's paginator stops the last page at its count, which would hide
a row added since the count was kept."""

import pytest

from accounts.models import Team
from core.api import LeanCountPaginator
from core.tables import CountedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    Team.objects.bulk_create(Team(name=f"Team {number}") for number in range(3))
    return Team.objects.order_by("name")


def test_a_page_shows_all_its_rows_whatever_the_kept_count(teams):
    page = CountedPaginator(teams, 10, count=1).page(1)
    assert [team.name for team in page] == ["Team 0", "Team 1", "Team 2"]
    kept = LeanCountPaginator(teams, 10, counted=lambda: 1).page(1)
    assert len(kept) == 3 and kept.paginator.count == 1
    assert len(CountedPaginator(teams, 2, count=3).page(2)) == 1


def test_a_counted_queryset_still_pages_as_django_does(teams):
    page = LeanCountPaginator(teams, 10, count_queryset=teams.filter(name="Team 0")).page(1)
    assert len(page) == 1  # not a kept count: Django's own page
