"""A rep's edit that waited for the lock of a client or deal a lead was reassigning at that
moment (two real connections on PostgreSQL): the rep's right was checked on the row as read
(still theirs), so the edit was saved on a record no longer theirs and the API answered 500
reading it back. Now the right is checked again on the locked row: a Conflict, nothing
written, the reassignment kept."""

from decimal import Decimal

from clients import services as client_services
from clients.models import Client
from core.errors import Conflict
from deals import services as deal_services
from deals.models import Deal
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory
from tests.migration_support import restore_default_stages

pytestmark = POSTGRESQL_ONLY


def test_an_edit_waiting_on_a_client_being_reassigned_away_is_a_conflict(department):
    client = ClientFactory(owner=department.rep_north, name="Acme")
    seen_by_lead = Client.objects.get(pk=client.pk)
    seen_by_rep = Client.objects.get(pk=client.pk)
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: client_services.client_reassign(
            by=department.lead_north, client=seen_by_lead, owner=department.rep_north_2
        ),
        lambda: client_services.client_update(
            by=department.rep_north, client=seen_by_rep, legal_name="Acme Ltd"
        ),
    )
    assert first_error is None
    assert isinstance(second_error, Conflict), repr(second_error)
    assert second_was_waiting is True
    assert Client.objects.filter(pk=client.pk).values_list("legal_name", "owner").get() == (
        "",
        department.rep_north_2.pk,
    )


def test_an_edit_waiting_on_a_deal_being_reassigned_away_is_a_conflict(department):
    restore_default_stages()
    deal = make_deal(department.rep_north, amount="100.00")
    seen_by_head = Deal.objects.get(pk=deal.pk)
    seen_by_rep = Deal.objects.get(pk=deal.pk)
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: deal_services.deal_update(
            deal=seen_by_head, by=department.head, data={"owner": department.rep_south}
        ),
        lambda: deal_services.deal_update(
            deal=seen_by_rep, by=department.rep_north, data={"amount": Decimal("999.00")}
        ),
    )
    assert first_error is None
    assert isinstance(second_error, Conflict), repr(second_error)
    assert second_was_waiting is True
    assert Deal.objects.filter(pk=deal.pk).values_list("amount", "owner").get() == (
        Decimal("100.00"),
        department.rep_south.pk,
    )
