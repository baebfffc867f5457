"""demo/scale/writer.py: rows written as the ORM would write them."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Team
from demo.scale.writer import TableWriter, next_id

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")


def test_timestamps_in_any_time_zone_sort_by_the_moment_they_name():
    """10:27 in Moscow is 07:27 UTC, before 07:41 UTC. SQLite keeps a datetime as text: written
    with its offset, the Moscow one read as later (the quotes of the day at scale were
    numbered out of order)."""
    start = next_id(Team)
    moscow = datetime.datetime(2026, 12, 5, 10, 27, tzinfo=MOSCOW)
    utc = datetime.datetime(2026, 12, 5, 7, 41, tzinfo=datetime.UTC)
    TableWriter(Team, ["id", "name", "created_at"], utc).write(
        [(start, "Later", utc), (start + 1, "Earlier", moscow)]
    )
    names = list(Team.objects.filter(pk__gte=start).order_by("created_at").values_list("name", flat=True))
    assert names == ["Earlier", "Later"]
    assert Team.objects.get(name="Earlier").created_at == moscow
