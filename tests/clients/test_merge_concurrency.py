"""Two people merging the same two clients at once: the second waits for the first's locks,
then finds the duplicate gone and gets a clear conflict (409), with nothing half-written."""

from clients.models import Contact
from clients.services.merge import client_merge
from core.errors import Conflict
from sync.models import Tombstone
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.factories import ClientFactory, ContactFactory

pytestmark = POSTGRESQL_ONLY


def test_two_people_merging_the_same_clients_at_once_one_gets_a_conflict(department):
    survivor, duplicate = ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    ContactFactory(client=duplicate)
    first_error, second_error, waited = run_concurrently(
        lambda: client_merge(by=department.head, survivor=survivor, duplicate=duplicate),
        lambda: client_merge(by=department.lead_north, survivor=survivor, duplicate=duplicate),
    )
    assert first_error is None
    assert waited
    assert isinstance(second_error, Conflict)
    assert str(second_error) == "One of these clients was merged or deleted meanwhile; reload the page."
    assert Contact.objects.get().client_id == survivor.pk
    assert Tombstone.objects.filter(model="client").count() == 1
