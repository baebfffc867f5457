"""Writes that race on PostgreSQL (two real connections). Deleting a client while someone adds
a deal or a contact to it: the delete answered 500 (ProtectedError, or the foreign key failing
at commit), or the new row failed its foreign key at commit; now the addition holds the client
(FOR KEY SHARE) and the delete locks it first, so whichever comes second waits and is told.
Two creates of the same client name, or of product codes differing only in case, made two;
now the second waits on an advisory lock and is refused."""

from django.core.exceptions import ValidationError

from clients import services
from clients.models import Client, Contact
from core.errors import Conflict
from deals import services as deal_services
from deals.models import Deal
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently
from tests.factories import ClientFactory
from tests.migration_support import restore_default_stages

pytestmark = POSTGRESQL_ONLY


def test_a_delete_waiting_on_a_new_deal_is_refused_because_of_it(department):
    restore_default_stages()
    client = ClientFactory(owner=department.rep_north, name="Acme")
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: deal_services.deal_create(by=department.rep_north, client=client, title="New", amount="5"),
        lambda: services.client_delete(by=department.rep_north, client=client),
    )
    assert first_error is None
    assert isinstance(second_error, ValidationError), repr(second_error)
    assert second_error.messages == [
        "This client has deals and cannot be deleted; mark it a former customer instead."
    ]
    assert second_was_waiting is True
    assert Client.objects.filter(pk=client.pk).exists() and Deal.objects.filter(client=client).count() == 1


def test_a_new_deal_waiting_on_a_delete_is_a_conflict(department):
    restore_default_stages()
    client = ClientFactory(owner=department.rep_north, name="Acme")
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.client_delete(by=department.rep_north, client=client),
        lambda: deal_services.deal_create(by=department.rep_north, client=client, title="New", amount="5"),
    )
    assert first_error is None
    assert isinstance(second_error, Conflict), repr(second_error)
    assert str(second_error) == "This client was deleted meanwhile."
    assert second_was_waiting is True
    assert not Client.objects.filter(pk=client.pk).exists() and not Deal.objects.exists()


def test_a_contact_added_while_the_client_is_deleted_goes_with_it_or_is_a_conflict(department):
    client = ClientFactory(owner=department.rep_north, name="Acme")
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.contact_create(by=department.rep_north, client=client, name="Ivan"),
        lambda: services.client_delete(by=department.rep_north, client=client),
    )
    assert (first_error, second_error, second_was_waiting) == (None, None, True)
    assert not Client.objects.filter(pk=client.pk).exists() and not Contact.objects.exists()


def test_two_clients_of_the_same_name_at_once_make_one(department):
    """No index says one client per name: the second create waits for the first (an advisory
    lock on the name, core.locks.lock_value) and is refused as it is one after the other."""
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.client_create(by=department.rep_north, name="Name Only"),
        lambda: services.client_create(by=department.rep_north, name="NAME  only"),
    )
    assert first_error is None
    assert isinstance(second_error, ValidationError), repr(second_error)
    assert list(second_error.message_dict) == ["name"]
    assert second_was_waiting is True
    assert Client.objects.filter(name__iexact="name only").count() == 1


def test_two_products_whose_codes_differ_only_in_case_make_one(department):
    from deals.models import Product

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: deal_services.product_create(by=department.head, name="A", code="RC-1", list_price="10"),
        lambda: deal_services.product_create(by=department.head, name="B", code="rc-1", list_price="10"),
    )
    assert first_error is None
    assert isinstance(second_error, ValidationError), repr(second_error)
    assert second_error.message_dict == {"code": ["Another product already has this code."]}
    assert second_was_waiting is True
    assert list(Product.objects.filter(code__iexact="rc-1").values_list("code", flat=True)) == ["RC-1"]


def test_two_saves_of_the_same_field_at_once_keep_the_first_and_refuse_the_second(department):
    """Two edit pages saved at the same moment, both changing the phone from what they showed:
    the second waits for the first's row lock, then sees the phone changed and is refused
    (RecordChanged, the page's 409), so neither silently undoes the other."""
    from core.errors import RecordChanged

    client = ClientFactory(owner=department.rep_north, name="Acme", phone="+7 0")
    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.client_update(
            by=department.rep_north, client=client, shown={"phone": "+7 0"}, phone="+7 1"
        ),
        lambda: services.client_update(
            by=department.lead_north, client=client, shown={"phone": "+7 0"}, phone="+7 2"
        ),
    )
    assert first_error is None
    assert isinstance(second_error, RecordChanged), repr(second_error)
    assert second_error.fields == ["phone"]
    assert second_was_waiting is True
    assert Client.objects.get(pk=client.pk).phone == "+7 1"
