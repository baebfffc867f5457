"""Two proposals issued at once on PostgreSQL: the year's counter row is locked, so the
second waits and takes the next number (never the same one)."""

from decimal import Decimal

from deals import services
from deals.models import DealLine, Quote
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.deals.conftest import make_deal

pytestmark = POSTGRESQL_ONLY


def test_two_proposals_issued_at_once_get_consecutive_numbers(department, stages):
    first_deal = make_deal(department.rep_north)
    second_deal = make_deal(department.rep_south)
    for deal in (first_deal, second_deal):
        DealLine.objects.create(
            deal=deal, name="Work", quantity=1, unit_price=Decimal("10"), net=Decimal("10")
        )
    # the year's counter exists already: both transactions then wait on the same row
    services.quote_create(by=department.rep_north, deal=first_deal)

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.quote_create(by=department.rep_north, deal=first_deal),
        lambda: services.quote_create(by=department.rep_south, deal=second_deal),
    )

    assert (first_error, second_error) == (None, None)
    assert second_was_waiting is True
    numbers = sorted(number[-4:] for number in Quote.objects.values_list("number", flat=True))
    assert numbers == ["0001", "0002", "0003"]
