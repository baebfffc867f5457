"""Merging duplicates: every related record moves to the survivor, the history shows the
merge, the merged-away record leaves a tombstone pointing at the survivor."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clients.merging import (
    MergeContext,
    colliding_pks,
    move_rows,
    register_merge_relation,
    unhandled_relations,
)
from clients.models import Activity, Client, Contact, Task
from clients.services.merge import client_merge, contact_merge, merge_defaults
from deals.models import Deal, Fact, Quote
from documents.models import Attachment, ClientRequest, Contract
from reports.models import OverdueAlert
from sync.models import Tombstone
from targets.models import Installment, Payment
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    FactFactory,
    InstallmentFactory,
    PaymentFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


def _attach(owner, **parent) -> Attachment:
    return Attachment.objects.create(
        file="attachments/x",
        name="x.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=owner,
        **parent,
    )


def full_client(owner, name: str, *, contacts: int, deals: int) -> Client:
    """A client with some of every related record: contacts, activities (one with a contact),
    tasks, files, requests, and deals with facts, an installment with a payment and an
    alert, a contract, a proposal naming a contact, a deal file."""
    client = ClientFactory(owner=owner, name=name)
    people = ContactFactory.create_batch(contacts, client=client)
    ActivityFactory(client=client, owner=owner, contact=people[0])
    ActivityFactory(client=client, owner=owner)
    TaskFactory(client=client, owner=owner, contact=people[0])
    _attach(owner, client=client)
    ClientRequest.objects.create(
        client=client,
        kind="question",
        description="When?",
        owner=owner,
        created_by=owner,
        due_by=timezone.now() + datetime.timedelta(days=1),
    )
    for index in range(deals):
        deal = DealFactory(client=client, owner=owner, title=f"{name} deal {index}")
        FactFactory(deal=deal)
        installment = InstallmentFactory(deal=deal, amount=Decimal("900.00"))
        PaymentFactory(installment=installment)
        OverdueAlert.objects.create(
            installment=installment,
            client=client,
            due_date=timezone.localdate(),
            bucket="1-30",
            opened_on=timezone.localdate(),
            checked_on=timezone.localdate(),
            updated_at=timezone.now(),
        )
        Contract.objects.create(
            deal=deal,
            number=f"C-{name}-{index}",
            date=timezone.localdate(),
            amount=Decimal("900.00"),
            created_by=owner,
        )
        Quote.objects.create(
            deal=deal,
            number=f"Q-{name}-{index}",
            version=1,
            client_name=name,
            contact=people[0],
            valid_until=timezone.localdate(),
            created_by=owner,
        )
        _attach(owner, deal=deal)
    return client


def counts(client_id: int) -> dict[str, int]:
    """Every kind of record that belongs to a client, counted through the client."""
    return {
        "contacts": Contact.objects.filter(client_id=client_id).count(),
        "activities": Activity.objects.filter(client_id=client_id).count(),
        "tasks": Task.objects.filter(client_id=client_id).count(),
        "deals": Deal.objects.filter(client_id=client_id).count(),
        "facts": Fact.objects.filter(deal__client_id=client_id).count(),
        "installments": Installment.objects.filter(deal__client_id=client_id).count(),
        "payments": Payment.objects.filter(installment__deal__client_id=client_id).count(),
        "alerts": OverdueAlert.objects.filter(client_id=client_id).count(),
        "contracts": Contract.objects.filter(deal__client_id=client_id).count(),
        "quotes": Quote.objects.filter(deal__client_id=client_id).count(),
        "client files": Attachment.objects.filter(client_id=client_id).count(),
        "deal files": Attachment.objects.filter(deal__client_id=client_id).count(),
        "requests": ClientRequest.objects.filter(client_id=client_id).count(),
    }


def test_every_foreign_key_to_a_client_or_a_contact_has_merge_handling():
    """A model that points at a client or a contact and is not registered with
    clients.merging would keep rows pointing at a merged-away record (or block the merge)."""
    assert unhandled_relations() == []


def test_the_completeness_check_catches_an_unregistered_foreign_key(monkeypatch):
    from clients import merging

    registered = {target: dict(relations) for target, relations in merging._relations.items()}
    del registered["clients.Client"]["deals.Deal.client"]
    monkeypatch.setattr(merging, "_relations", registered)
    assert unhandled_relations() == ["deals.Deal.client", "deals.HistoricalDeal.client"]


def test_merging_two_clients_moves_every_related_record(department):
    rep = department.rep_north
    survivor = full_client(rep, "Acme", contacts=2, deals=1)
    duplicate = full_client(department.rep_north_2, "ACME LLC", contacts=3, deals=2)
    duplicate_id = duplicate.pk
    assert counts(survivor.pk) == {
        "contacts": 2,
        "activities": 2,
        "tasks": 1,
        "deals": 1,
        "facts": 1,
        "installments": 1,
        "payments": 1,
        "alerts": 1,
        "contracts": 1,
        "quotes": 1,
        "client files": 1,
        "deal files": 1,
        "requests": 1,
    }
    assert counts(duplicate_id) == {
        "contacts": 3,
        "activities": 2,
        "tasks": 1,
        "deals": 2,
        "facts": 2,
        "installments": 2,
        "payments": 2,
        "alerts": 2,
        "contracts": 2,
        "quotes": 2,
        "client files": 1,
        "deal files": 2,
        "requests": 1,
    }

    outcome = client_merge(by=department.lead_north, survivor=survivor, duplicate=duplicate)

    assert outcome.survivor.pk == survivor.pk
    assert counts(survivor.pk) == {
        "contacts": 5,
        "activities": 4,
        "tasks": 2,
        "deals": 3,
        "facts": 3,
        "installments": 3,
        "payments": 3,
        "alerts": 3,
        "contracts": 3,
        "quotes": 3,
        "client files": 2,
        "deal files": 3,
        "requests": 2,
    }
    assert set(counts(duplicate_id).values()) == {0}
    assert not Client.objects.filter(pk=duplicate_id).exists()
    assert {key: result.moved for key, result in outcome.moved.items()} == {
        "clients.Contact.client": 3,
        "clients.Activity.client": 2,
        "clients.Task.client": 1,
        "deals.Deal.client": 2,
        "documents.Attachment.client": 1,
        "documents.ClientRequest.client": 1,
        "reports.OverdueAlert.client": 2,
    }
    # Nothing else was deleted on the way: the duplicate's tombstone is the only one.
    assert list(Tombstone.objects.values_list("model", "object_id", "merged_into", "owner_id")) == [
        ("client", duplicate_id, survivor.pk, department.rep_north_2.pk)
    ]


def test_the_history_shows_the_merge_and_the_moved_deals_record_it(department):
    survivor = ClientFactory(owner=department.rep_north, name="Acme")
    duplicate = ClientFactory(owner=department.rep_north, name="Acme Trading")
    deal = DealFactory(client=duplicate)
    duplicate_id = duplicate.pk

    client_merge(by=department.head, survivor=survivor, duplicate=duplicate)

    latest = survivor.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        f"Merged from #{duplicate_id} Acme Trading",
        department.head,
    )
    gone = Client.history.filter(id=duplicate_id).first()
    assert (gone.history_type, gone.history_change_reason) == ("-", f"Merged into #{survivor.pk} Acme")
    deal_history = Deal.history.filter(id=deal.pk).first()
    assert (deal_history.client_id, deal_history.history_change_reason) == (
        survivor.pk,
        f"Merged from #{duplicate_id} Acme Trading",
    )
    # No past version of the deal names the deleted client.
    assert not Deal.history.filter(client_id=duplicate_id).exists()


def test_fields_win_as_chosen_and_default_to_the_survivor_or_the_non_empty_one(department):
    survivor = ClientFactory(
        owner=department.rep_north, name="Acme", phone="", website="acme.example", tier="A"
    )
    duplicate = ClientFactory(
        owner=department.rep_north_2,
        name="ACME Ltd",
        phone="+7 900 1",
        website="acme.ru",
        tier="B",
        tax_id="7701234567",
        legal_name="ACME Limited",
    )
    assert merge_defaults(survivor, duplicate, ["name", "phone", "website", "tax_id"]) == {
        "name": "survivor",
        "phone": "duplicate",
        "website": "survivor",
        "tax_id": "duplicate",
    }

    client_merge(
        by=department.lead_north,
        survivor=survivor,
        duplicate=duplicate,
        fields={"name": "duplicate", "owner": "duplicate", "legal_name": "survivor"},
    )

    survivor.refresh_from_db()
    assert (
        survivor.name,
        survivor.normalized_name,
        survivor.phone,
        survivor.website,
        survivor.tier,
        survivor.tax_id,
        survivor.legal_name,
        survivor.owner,
        survivor.owner_assigned_by,
    ) == (
        "ACME Ltd",
        "acme",
        "+7 900 1",
        "acme.example",
        "A",
        "7701234567",  # the duplicate's, unique again once the duplicate is gone
        "",
        department.rep_north_2,
        department.lead_north,
    )


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"colour": "duplicate"}, "These fields cannot be chosen: colour."),
        ({"name": "both"}, "Choose “survivor” or “duplicate” for: name."),
        (["name"], "Give the fields as an object: field name → survivor or duplicate."),
    ],
)
def test_bad_field_choices_change_nothing(department, fields, message):
    survivor, duplicate = ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    ContactFactory(client=duplicate)
    with pytest.raises(ValidationError) as error:
        client_merge(by=department.head, survivor=survivor, duplicate=duplicate, fields=fields)
    assert error.value.message_dict == {"fields": [message]}
    assert Client.objects.filter(pk=duplicate.pk).exists()
    assert Contact.objects.filter(client=duplicate).count() == 1
    assert Tombstone.objects.count() == 0


def test_a_client_is_not_merged_with_itself(department):
    client = ClientFactory(owner=department.rep_north)
    with pytest.raises(ValidationError) as error:
        client_merge(by=department.head, survivor=client, duplicate=client)
    assert error.value.message_dict == {
        "duplicate": ["Choose another client: a client cannot be merged with itself."]
    }


def test_who_may_merge(department):
    north = ClientFactory(owner=department.rep_north)
    north_2 = ClientFactory(owner=department.rep_north_2)
    south = ClientFactory(owner=department.rep_south)
    own = ClientFactory(owner=department.rep_north)
    with pytest.raises(PermissionDenied):  # a rep, even of their own clients
        client_merge(by=department.rep_north, survivor=north, duplicate=own)
    with pytest.raises(Http404):  # a lead, a client of another team
        client_merge(by=department.lead_north, survivor=north, duplicate=south)
    with pytest.raises(PermissionDenied):  # the analyst sees everything, changes nothing
        client_merge(by=department.analyst, survivor=north, duplicate=south)
    assert Client.objects.count() == 4
    client_merge(by=department.lead_north, survivor=north, duplicate=north_2)
    client_merge(by=department.head, survivor=north, duplicate=south)
    assert set(Client.objects.values_list("pk", flat=True)) == {north.pk, own.pk}


def test_a_lead_may_not_give_the_survivor_to_someone_outside_the_team(department):
    """Both clients are the team's, but the head once gave one to an inactive rep."""
    survivor = ClientFactory(owner=department.rep_north)
    duplicate = ClientFactory(owner=department.inactive_rep_north)
    with pytest.raises(ValidationError) as error:
        client_merge(
            by=department.lead_north, survivor=survivor, duplicate=duplicate, fields={"owner": "duplicate"}
        )
    assert error.value.message_dict == {"owner": ["Choose an active member of staff."]}
    assert Client.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_sends_the_merged_event_for_the_survivor(department):
    from clients.signals import client_changed

    heard = []

    def listen(sender, **kwargs):
        heard.append((kwargs["client_id"], kwargs["event"]))

    client_changed.connect(listen)
    try:
        survivor, duplicate = (
            ClientFactory(owner=department.rep_north),
            ClientFactory(owner=department.rep_north),
        )
        client_merge(by=department.head, survivor=survivor, duplicate=duplicate)
    finally:
        client_changed.disconnect(listen)
    assert heard == [(survivor.pk, "merged")]


def test_a_second_merge_of_a_merged_away_client_is_a_conflict(department):
    survivor, duplicate = ClientFactory(owner=department.rep_north), ClientFactory(owner=department.rep_north)
    stale = Client.objects.get(pk=duplicate.pk)
    client_merge(by=department.head, survivor=survivor, duplicate=duplicate)
    other = ClientFactory(owner=department.rep_north)
    with pytest.raises(Http404):  # the page or API read it before; now it is gone
        client_merge(by=department.head, survivor=other, duplicate=stale)


# ------------------------------------------------------------------------------ contacts


def test_merging_two_contacts_of_two_clients_moves_their_activities_tasks_and_proposals(department):
    rep = department.rep_north
    acme, acme_2 = ClientFactory(owner=rep), ClientFactory(owner=rep)
    survivor = ContactFactory(client=acme, name="Ivan Petrov", email="", phone="+7 1")
    duplicate = ContactFactory(client=acme_2, name="I. Petrov", email="ivan@acme.example", position="CEO")
    ActivityFactory.create_batch(2, client=acme_2, contact=duplicate)
    ActivityFactory(client=acme, contact=survivor)
    TaskFactory(client=acme_2, contact=duplicate)
    deal = DealFactory(client=acme_2)
    Quote.objects.create(
        deal=deal,
        number="Q-1",
        version=1,
        client_name="x",
        contact=duplicate,
        valid_until=timezone.localdate(),
        created_by=rep,
    )
    duplicate_id = duplicate.pk

    outcome = contact_merge(by=department.lead_north, survivor=survivor, duplicate=duplicate)

    survivor.refresh_from_db()
    assert (survivor.name, survivor.email, survivor.position, survivor.phone, survivor.client) == (
        "Ivan Petrov",
        "ivan@acme.example",
        "CEO",
        "+7 1",
        acme,
    )
    assert (
        Activity.objects.filter(contact=survivor).count(),
        Task.objects.filter(contact=survivor).count(),
        Quote.objects.filter(contact=survivor).count(),
    ) == (3, 1, 1)
    assert {key: result.moved for key, result in outcome.moved.items()} == {
        "clients.Activity.contact": 2,
        "clients.Task.contact": 1,
        "deals.Quote.contact": 1,
    }
    assert list(Tombstone.objects.values_list("model", "object_id", "merged_into")) == [
        ("contact", duplicate_id, survivor.pk)
    ]


def test_a_rep_may_not_merge_contacts(department):
    client = ClientFactory(owner=department.rep_north)
    one, two = ContactFactory.create_batch(2, client=client)
    with pytest.raises(PermissionDenied):
        contact_merge(by=department.rep_north, survivor=one, duplicate=two)
    assert Contact.objects.count() == 2


# --------------------------------------------------------------------- unique constraints


def test_rows_that_would_break_a_unique_constraint_stay_behind_and_the_survivors_win(department):
    """The generic move of clients.merging on a model with a unique (week, deal) key: the
    merged-away record's row for a week the survivor already has is dropped, the rest move."""
    from reports.models import ForecastSnapshot

    rep = department.rep_north
    keep, gone = DealFactory(client=ClientFactory(owner=rep)), DealFactory(client=ClientFactory(owner=rep))
    monday = datetime.date(2026, 11, 2)
    next_monday = monday + datetime.timedelta(days=7)

    def snapshot(deal, week):
        return ForecastSnapshot.objects.create(
            week=week,
            deal=deal,
            owner=rep,
            stage=deal.stage,
            category="pipeline",
            amount=Decimal("1.00"),
            taken_on=week,
        )

    kept_row = snapshot(keep, monday)
    clash = snapshot(gone, monday)
    moving = snapshot(gone, next_monday)
    context = MergeContext(survivor_id=keep.pk, duplicate_id=gone.pk, by=rep, reason="test")
    assert colliding_pks(ForecastSnapshot, "deal", context) == {clash.pk}

    result = move_rows(ForecastSnapshot, "deal", context)

    assert (result.moved, result.dropped) == (1, 1)
    assert sorted(ForecastSnapshot.objects.values_list("pk", "deal_id")) == sorted(
        [(kept_row.pk, keep.pk), (moving.pk, keep.pk)]
    )


def test_registering_twice_keeps_one_relation_and_an_unknown_target_is_refused():
    from clients.merging import merge_relations

    before = len(merge_relations("clients.Client"))
    register_merge_relation("clients.Client", "deals.Deal", "client")
    assert len(merge_relations("clients.Client")) == before
    with pytest.raises(ValueError):
        register_merge_relation("deals.Deal", "deals.Fact", "deal")
    assert apps.get_model("clients.Client")
