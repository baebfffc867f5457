"""demo.bulk_bench at a small size: what `manage.py bulk_bench` measures on the large data
(issue 16: a lead's bulk reassign over the threshold is one job, one task, one transaction;
another team's deal in the batch refuses all of it with the reason; all rolled back)."""

import pytest

from core.bulk import not_visible_message
from deals.models import Deal
from demo.bulk_bench import measure_bulk_reassign
from tests.factories import ClientFactory, DealFactory

pytestmark = pytest.mark.django_db


def test_bulk_reassign_bench_at_a_small_size(department, stages, settings):
    settings.BULK_ASYNC_THRESHOLD = 2
    client = ClientFactory(owner=department.rep_north_2)
    mine = [DealFactory(client=client, owner=department.rep_north_2) for _ in range(3)]
    DealFactory(client=client, owner=department.rep_north_2)  # a fourth, beyond rows=3
    south = DealFactory(client=ClientFactory(owner=department.rep_south), owner=department.rep_south)

    result = measure_bulk_reassign(lead=department.lead_north, rows=3)

    assert (result.lead, result.receiver, result.rows) == ("lead_north", "rep_north", 3)
    assert result.tasks == ["core.bulk_job_run"]
    assert (result.job_status, result.job_done, result.moved_inside) == ("done", 3, 3)
    assert result.one_transaction and result.seen_outside in (0, None)  # None: SQLite
    assert result.refused_status == "refused"
    assert result.refused_errors == {south.pk: not_visible_message()}
    assert (result.moved_after_refusal, result.left_after_rollback) == (0, 0)
    assert result.queries > 0
    assert set(Deal.objects.filter(pk__in=[d.pk for d in mine]).values_list("owner_id", flat=True)) == {
        department.rep_north_2.pk
    }
