"""SPEC §1: who sees and who may change which records, for every role.

Clients are owned directly; contacts reach their owner through the client, so the
same matrix also proves that a model only has to declare its owner path."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.visibility import (
    can_write,
    ensure_can_write,
    get_visible_or_404,
    may_own,
    row_meets,
    writable_pks,
)
from clients.models import Client, ClientStatus, Contact
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(department):
    d = department
    owners = {
        "rep_north": d.rep_north,
        "rep_north_2": d.rep_north_2,
        "lead_north": d.lead_north,
        "rep_south": d.rep_south,
        "rep_without_team": d.rep_without_team,
        "sdr_north": d.sdr_north,
    }
    clients = {name: ClientFactory(name=f"client of {name}", owner=owner) for name, owner in owners.items()}
    for name, client in clients.items():
        ContactFactory(client=client, name=f"contact of {name}")
    return clients


ALL = {"rep_north", "rep_north_2", "lead_north", "rep_south", "rep_without_team", "sdr_north"}
NORTH = {"rep_north", "rep_north_2", "lead_north", "sdr_north"}

VISIBLE = {
    "head": ALL,
    "analyst": ALL,
    "lead_north": NORTH,
    "lead_south": {"rep_south"},
    "lead_without_team": set(),
    "rep_north": {"rep_north"},
    "rep_south": {"rep_south"},
    "rep_without_team": {"rep_without_team"},
    "sdr_north": {"sdr_north"},
    "account_manager_south": set(),
    "assistant_north": NORTH,
    "assistant_without_team": set(),
    "inactive_rep_north": set(),
}

WRITABLE_CLIENTS = {
    **VISIBLE,
    "analyst": set(),
    "assistant_north": set(),  # assistants do not change clients, only contacts, activities and payments
}

WRITABLE_CONTACTS = {**VISIBLE, "analyst": set()}


def owners_of(queryset, field="owner__username"):
    return {
        value.removeprefix("client of ").removeprefix("contact of ")
        for value in queryset.values_list(field, flat=True)
    }


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_clients_visible_to_each_role(department, records, viewer):
    user = getattr(department, viewer)
    names = set(Client.objects.visible_to(user).values_list("name", flat=True))
    assert names == {f"client of {owner}" for owner in VISIBLE[viewer]}


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_contacts_visible_through_their_client(department, records, viewer):
    user = getattr(department, viewer)
    names = set(Contact.objects.visible_to(user).values_list("name", flat=True))
    assert names == {f"contact of {owner}" for owner in VISIBLE[viewer]}


@pytest.mark.parametrize("viewer", sorted(WRITABLE_CLIENTS))
def test_clients_writable_by_each_role(department, records, viewer):
    user = getattr(department, viewer)
    names = set(Client.objects.writable_by(user).values_list("name", flat=True))
    assert names == {f"client of {owner}" for owner in WRITABLE_CLIENTS[viewer]}
    for owner, client in records.items():
        assert can_write(user, client) is (owner in WRITABLE_CLIENTS[viewer])


@pytest.mark.parametrize("viewer", sorted(WRITABLE_CONTACTS))
def test_contacts_writable_by_each_role(department, records, viewer):
    user = getattr(department, viewer)
    names = set(Contact.objects.writable_by(user).values_list("name", flat=True))
    assert names == {f"contact of {owner}" for owner in WRITABLE_CONTACTS[viewer]}


def test_a_lead_sees_the_team_they_lead_even_without_being_a_member(department, records):
    lead = department.lead_without_team
    department.south.lead = lead
    department.south.save()
    names = set(Client.objects.visible_to(lead).values_list("name", flat=True))
    assert names == {"client of rep_south"}


def test_anonymous_user_sees_nothing(records):
    from django.contrib.auth.models import AnonymousUser

    assert Client.objects.visible_to(AnonymousUser()).count() == 0
    assert Client.objects.writable_by(AnonymousUser()).count() == 0


def test_hidden_and_missing_records_both_answer_404(department, records):
    south_client = records["rep_south"]
    with pytest.raises(Http404):
        get_visible_or_404(Client.objects.all(), department.rep_north, pk=south_client.pk)
    with pytest.raises(Http404):
        get_visible_or_404(Client.objects.all(), department.rep_north, pk=999_999)
    with pytest.raises(Http404):
        get_visible_or_404(Client.objects.all(), department.rep_north, pk="not-a-number")
    assert get_visible_or_404(Client.objects.all(), department.rep_south, pk=south_client.pk) == south_client


def test_ensure_can_write_hides_invisible_and_forbids_read_only(department, records):
    client = records["rep_north"]
    with pytest.raises(Http404):
        ensure_can_write(department.rep_south, client)
    with pytest.raises(PermissionDenied):
        ensure_can_write(department.analyst, client)
    with pytest.raises(PermissionDenied):
        ensure_can_write(department.assistant_north, client)
    ensure_can_write(department.lead_north, client)
    ensure_can_write(department.rep_north, client)


def test_ensure_can_write_asks_once_when_allowed_and_twice_to_refuse(
    department, records, django_assert_num_queries
):
    """Every write checks this first, on the row as the caller read it: a permitted write
    costs one query (the database sees a reassignment or deletion since); a refusal asks
    again to tell hidden (404) from read-only (403)."""
    client = records["rep_north"]
    with django_assert_num_queries(1):
        ensure_can_write(department.rep_north, client)
    with django_assert_num_queries(1):
        ensure_can_write(department.head, client)
    # an analyst writes nothing: the combined check needs no query, only the visibility one
    with django_assert_num_queries(1), pytest.raises(PermissionDenied):
        ensure_can_write(department.analyst, client)
    with django_assert_num_queries(2), pytest.raises(Http404):
        ensure_can_write(department.rep_south, client)


def test_the_row_as_it_is_now_answers_the_head_and_its_owner_without_a_query(
    department, records, django_assert_num_queries
):
    """current=True (a row locked in the transaction, or just read): the head's and the
    owner's answer are read off the row; a lead's team is still asked; a refusal still asks."""
    client = records["rep_north"]
    with django_assert_num_queries(0):
        ensure_can_write(department.rep_north, client, current=True)
        ensure_can_write(department.head, client, current=True)
        assert can_write(department.rep_north, client, current=True)
    with django_assert_num_queries(1):
        ensure_can_write(department.lead_north, client, current=True)
    with django_assert_num_queries(2), pytest.raises(Http404):
        ensure_can_write(department.rep_south, client, current=True)


def test_a_row_read_before_a_reassignment_or_deletion_is_asked_of_the_database(department, records):
    """Without current=True the check is the database's: a row read before someone else
    reassigned or deleted it is refused as it is now, not allowed as it was read."""
    client = records["rep_north"]
    stale = Client.objects.get(pk=client.pk)
    Client.objects.filter(pk=client.pk).update(owner=department.rep_north_2)
    with pytest.raises(Http404):
        ensure_can_write(department.rep_north, stale)
    assert not can_write(department.rep_north, stale)
    gone = Client.objects.get(pk=records["rep_south"].pk)
    Client.objects.filter(pk=gone.pk).delete()
    with pytest.raises(Http404):
        ensure_can_write(department.head, gone)
    assert not can_write(department.head, gone)


def test_an_unsaved_or_ownerless_row_is_never_read_off(department, records):
    """row_meets reads only a saved row with its owner column loaded; anything else is the
    database's to answer."""
    rep = department.rep_north
    own = _own_condition(rep)
    assert row_meets(rep, records["rep_north"], own)
    assert not row_meets(rep, Client(owner=rep), own)  # not saved
    assert not row_meets(department.head, Client(owner=rep), None)
    deferred = Client.objects.only("name").get(pk=records["rep_north"].pk)
    assert not row_meets(rep, deferred, own)
    with pytest.raises(Http404):
        ensure_can_write(rep, Client(owner=rep), current=True)


def _own_condition(user):
    from accounts.visibility import writability_q

    return writability_q(user, "owner")


def _outcome(user, row, current: bool = False) -> str:
    try:
        ensure_can_write(user, row, current=current)
    except Http404:
        return "hidden"
    except PermissionDenied:
        return "read-only"
    return "writable"


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_what_is_read_off_the_row_agrees_with_the_database(department, records, viewer):
    """row_meets answers the head and a rep's own records without a query: for every role
    and every record (owned directly, and through the client), the answers are the
    database's."""
    user = getattr(department, viewer)
    # An SDR's own client that is no longer a lead: theirs, but not theirs to change.
    prospect = ClientFactory(
        name="prospect of sdr_north", owner=department.sdr_north, status=ClientStatus.PROSPECT
    )
    ContactFactory(client=prospect, name="contact of the prospect")
    for model in (Client, Contact):
        rows = list(model.objects.all())
        writable = set(model.objects.writable_by(user).values_list("pk", flat=True))
        visible = set(model.objects.visible_to(user).values_list("pk", flat=True))
        assert writable_pks(user, rows) == writable
        for row in rows:
            assert can_write(user, row) == (row.pk in writable), (model, row)
            assert can_write(user, row, current=True) == (row.pk in writable), (model, row)
            expected = "writable" if row.pk in writable else "read-only" if row.pk in visible else "hidden"
            assert _outcome(user, row) == expected, (model, row)
            assert _outcome(user, row, current=True) == expected, (model, row)


def test_writable_pks_asks_once_for_what_the_rows_do_not_tell(department, records, django_assert_num_queries):
    rows = list(Client.objects.order_by("pk"))
    with django_assert_num_queries(0):
        assert writable_pks(department.head, rows) == {row.pk for row in rows}
    with django_assert_num_queries(1):  # the rep's own row read off, the others asked at once
        assert writable_pks(department.rep_north, rows) == {records["rep_north"].pk}
    with django_assert_num_queries(1):
        assert writable_pks(department.lead_north, rows) == {
            records[name].pk for name in ("rep_north", "rep_north_2", "lead_north", "sdr_north")
        }
    with django_assert_num_queries(0):
        assert writable_pks(department.rep_north, []) == set()


@pytest.mark.parametrize(
    ("actor", "owner", "assistant_may_write", "allowed"),
    [
        ("head", "rep_south", False, True),
        ("lead_north", "rep_north", False, True),
        ("lead_north", "lead_north", False, True),
        ("lead_north", "rep_south", False, False),
        ("lead_without_team", "rep_north", False, False),
        ("rep_north", "rep_north", False, True),
        ("rep_north", "rep_north_2", False, False),
        ("sdr_north", "sdr_north", False, True),
        ("assistant_north", "rep_north", False, False),
        ("assistant_north", "rep_north", True, True),
        ("assistant_north", "rep_south", True, False),
        ("analyst", "analyst", False, False),
        ("analyst", "rep_north", True, False),
        ("head", "inactive_rep_north", False, False),
        ("inactive_rep_north", "inactive_rep_north", False, False),
    ],
)
def test_who_may_give_a_record_to_which_owner(department, actor, owner, assistant_may_write, allowed):
    assert (
        may_own(
            getattr(department, actor), getattr(department, owner), assistant_may_write=assistant_may_write
        )
        is allowed
    )


def test_an_sdr_changes_only_own_records_that_are_still_leads(department):
    sdr = department.sdr_north
    lead_client = ClientFactory(owner=sdr, status="lead")
    handed_over = ClientFactory(owner=sdr, status="prospect")
    ContactFactory(client=lead_client, name="on the lead")
    ContactFactory(client=handed_over, name="on the prospect")
    assert set(Client.objects.visible_to(sdr)) == {lead_client, handed_over}
    assert list(Client.objects.writable_by(sdr)) == [lead_client]
    assert list(Contact.objects.writable_by(sdr).values_list("name", flat=True)) == ["on the lead"]


def test_models_without_an_sdr_rule_are_read_only_to_sdrs(department):
    from deals.models import Deal
    from tests.factories import DealFactory

    sdr = department.sdr_north
    deal = DealFactory(client=ClientFactory(owner=sdr), owner=sdr)
    assert list(Deal.objects.visible_to(sdr)) == [deal]
    assert Deal.objects.writable_by(sdr).count() == 0
    assert may_own(sdr, sdr, model=Deal) is False
    assert may_own(sdr, sdr, model=Client) is True


@pytest.mark.parametrize(
    ("viewer", "only_own"),
    [
        ("head", False),
        ("analyst", False),
        ("lead_north", False),
        ("assistant_north", False),
        ("rep_north", True),
        ("sdr_north", True),
        ("account_manager_south", True),
        ("inactive_rep_north", True),
    ],
)
def test_who_sees_only_their_own_records(department, viewer, only_own):
    from accounts.visibility import sees_only_own

    assert sees_only_own(getattr(department, viewer)) is only_own


def test_a_team_named_by_its_peoples_ids_sees_the_same_records(department, records):
    """``members_listed`` (the contract list's form, for the query planner) changes how a
    team's visibility is written, never what it selects: every role, a model owned directly
    and one reached through another."""
    people = [value for value in vars(department).values() if hasattr(value, "role")]
    assert len(people) >= 14
    for person in people:
        for model in (Client, Contact):
            plain = set(model.objects.visible_to(person).values_list("pk", flat=True))
            listed = set(model.objects.visible_to(person, members_listed=True).values_list("pk", flat=True))
            assert listed == plain, (person.username, model.__name__)
    lead = department.lead_north
    seen = {client.name for client in Client.objects.visible_to(lead, members_listed=True)}
    assert seen == {
        "client of rep_north",
        "client of rep_north_2",
        "client of lead_north",
        "client of sdr_north",
    }
