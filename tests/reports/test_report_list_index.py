"""Every list of report rows starts with the newest period (reports.selectors.report_rows).
Without an index in that order PostgreSQL joined and sorted every month's rows to show the
first 50 (11.6 ms for the conversion report's 5,076 rows at department scale, 2.05-2.12x its
small-demo time in make bench); with it the first page sorts the newest period's rows only."""

import pytest
from django.db import connection

from reports.models import ConversionReport, CoverageReport, IncentiveReport, PlanFulfilment, RenewalReport
from reports.selectors import report_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


@pytest.mark.parametrize(
    "model", [ConversionReport, RenewalReport, PlanFulfilment, CoverageReport, IncentiveReport]
)
def test_the_first_page_of_a_report_reads_the_newest_period_off_an_index(department, model):
    # Whatever statistics other tests left (a small table is cheaper to sort than to walk
    # through an index), asked to avoid reading it all and sorting it, the planner walks the
    # index; without the index it has neither way.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = report_rows(model, viewer=department.head)[:50].explain()
    assert f"{model._meta.model_name}_newest_idx" in plan, plan
