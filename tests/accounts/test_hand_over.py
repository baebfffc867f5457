"""Hand-over of a book: a leaving rep's clients, open deals, open tasks, installments to
follow up and open alerts move to colleagues in one transaction (accounts.handover)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.handover import book_hand_over, book_of, hand_over_plan
from accounts.models import HandOver
from clients.models import Client, Task, TaskStatus
from deals.models import Deal
from reports.models import AlertStatus, OverdueAlert
from reports.services.alerts import alerts_refresh
from targets.models import Installment
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, TaskFactory, stage

pytestmark = pytest.mark.django_db

KINDS = ["clients", "tasks", "alerts", "installments", "deals"]


def counts(**values) -> dict[str, int]:
    return {kind: values.get(kind, 0) for kind in KINDS}


@pytest.fixture
def book(department):
    """rep_north's book: five clients (A…E by name), on A two open deals and a won one with an
    overdue installment (and its alert), on B an open task, on C a lost deal; and an open
    task of rep_north's on a client rep_north_2 owns."""
    rep = department.rep_north
    clients = {name: ClientFactory(name=f"Client {name}", owner=rep) for name in "EDCBA"}
    open_deals = [DealFactory(client=clients["A"], owner=rep) for _ in range(2)]
    won = DealFactory(client=clients["A"], owner=rep, stage=stage("Won"), closed_at=timezone.localdate())
    overdue = InstallmentFactory(deal=won, due_date=timezone.localdate() - datetime.timedelta(days=10))
    lost = DealFactory(client=clients["C"], owner=rep, stage=stage("Lost"), closed_at=timezone.localdate())
    task = TaskFactory(client=clients["B"], owner=rep)
    done = TaskFactory(client=clients["B"], owner=rep, status=TaskStatus.DONE)
    elsewhere = ClientFactory(name="Client Z", owner=department.rep_north_2)
    stray = TaskFactory(client=elsewhere, owner=rep)
    alerts_refresh(today=timezone.localdate(), send_email=False)
    return {
        "clients": clients,
        "open_deals": open_deals,
        "won": won,
        "lost": lost,
        "installment": overdue,
        "task": task,
        "done": done,
        "elsewhere": elsewhere,
        "stray": stray,
    }


def test_the_book_counts_each_kind(department, book):
    assert book_of(department.rep_north).totals == counts(
        clients=5, tasks=2, alerts=1, installments=1, deals=2
    )
    names = [name for _pk, name in book_of(department.rep_north).units]
    assert names == ["Client A", "Client B", "Client C", "Client D", "Client E", "Client Z"]


def test_an_even_split_deals_clients_out_in_turn_and_moves_exactly_the_preview(department, book):
    rep, first, second = department.rep_north, department.rep_north_2, department.account_manager_south
    first.team = department.north
    first.save()
    second.team = department.north
    second.save()
    plan = hand_over_plan(by=department.lead_north, owner=rep, to=[first.pk, second.pk])
    # A, C, E to the first; B, D and Z (the sixth, only for the stray task) to the second.
    assert plan.counts == {
        first.pk: counts(clients=3, alerts=1, installments=1, deals=2),
        second.pk: counts(clients=2, tasks=2),
    }
    record = book_hand_over(by=department.lead_north, owner=rep, to=[first.pk, second.pk])
    assert record.counts == {str(pk): value for pk, value in plan.counts.items()}
    assert record.giver == rep and record.by == department.lead_north
    assert set(record.receivers.all()) == {first, second}
    owners = dict(
        Client.objects.filter(pk__in=[c.pk for c in book["clients"].values()]).values_list("name", "owner")
    )
    assert owners == {
        "Client A": first.pk,
        "Client B": second.pk,
        "Client C": first.pk,
        "Client D": second.pk,
        "Client E": first.pk,
    }
    assert book_of(rep).is_empty
    assert set(
        Deal.objects.filter(pk__in=[d.pk for d in book["open_deals"]]).values_list("owner", flat=True)
    ) == {first.pk}
    assert Task.objects.get(pk=book["task"].pk).owner == second
    assert Task.objects.get(pk=book["stray"].pk).owner == second  # the sixth unit, Z
    assert Client.objects.get(pk=book["elsewhere"].pk).owner == department.rep_north_2  # not rep's: stays
    assert Task.objects.get(pk=book["done"].pk).owner == rep  # done work stays
    assert Installment.objects.get(pk=book["installment"].pk).follow_up_by == first
    alert = OverdueAlert.objects.get(installment=book["installment"])
    assert alert.status == AlertStatus.OPEN
    assert OverdueAlert.objects.visible_to(first).filter(pk=alert.pk).exists()


def test_closed_deals_stay_with_their_owner(department, book):
    book_hand_over(by=department.head, owner=department.rep_north, to=[department.rep_north_2.pk])
    assert Deal.objects.get(pk=book["won"].pk).owner == department.rep_north
    assert Deal.objects.get(pk=book["lost"].pk).owner == department.rep_north
    # …but the won deal's outstanding installment is followed up by the receiver now.
    assert Installment.objects.get(pk=book["installment"].pk).follow_up_person == department.rep_north_2


def test_five_clients_to_two_reps_is_three_and_two(department):
    for name in "ABCDE":
        ClientFactory(name=name, owner=department.rep_north)
    plan = hand_over_plan(
        by=department.head,
        owner=department.rep_north,
        to=[department.rep_north_2.pk, department.account_manager_south.pk],
    )
    assert [len(row["clients"]) for row in plan.rows()] == [3, 2]
    assert [[name for _pk, name in row["clients"]] for row in plan.rows()] == [["A", "C", "E"], ["B", "D"]]


def test_by_hand_each_client_goes_where_it_was_sent(department, book):
    units = [pk for pk, _name in book_of(department.rep_north).units]
    assignments = {str(pk): department.rep_north_2.pk for pk in units}
    assignments[str(book["clients"]["A"].pk)] = department.lead_north.pk
    with pytest.raises(ValidationError, match="not a rep or account manager"):
        book_hand_over(by=department.head, owner=department.rep_north, assignments=assignments)
    assert book_of(department.rep_north).totals["clients"] == 5  # nothing moved
    assignments[str(book["clients"]["A"].pk)] = department.account_manager_south.pk
    record = book_hand_over(by=department.head, owner=department.rep_north, assignments=assignments)
    assert record.counts[str(department.account_manager_south.pk)] == counts(
        clients=1, alerts=1, installments=1, deals=2
    )
    assert Client.objects.get(pk=book["clients"]["A"].pk).owner == department.account_manager_south


def test_history_says_it_was_a_hand_over(department, book):
    book_hand_over(by=department.lead_north, owner=department.rep_north, to=[department.rep_north_2.pk])
    reason = f"Hand-over from {department.rep_north.full_name} to {department.rep_north_2.full_name}"
    for model, pk in [
        (Client, book["clients"]["A"].pk),
        (Deal, book["open_deals"][0].pk),
        (Task, book["task"].pk),
        (Installment, book["installment"].pk),
    ]:
        latest = model.history.filter(id=pk).latest("history_id")
        assert (latest.history_change_reason, latest.history_user) == (reason, department.lead_north)


@pytest.mark.parametrize(
    "by, owner, problem",
    [
        ("lead_south", "rep_north", PermissionDenied),  # another team's lead
        ("rep_north_2", "rep_north", PermissionDenied),  # a rep
        ("analyst", "rep_north", PermissionDenied),
        ("lead_north", "lead_north", PermissionDenied),  # their own book
    ],
)
def test_who_may_hand_a_book_over(department, book, by, owner, problem):
    with pytest.raises(problem):
        hand_over_plan(
            by=getattr(department, by), owner=getattr(department, owner), to=[department.rep_north_2.pk]
        )
    assert HandOver.objects.count() == 0


@pytest.mark.parametrize(
    "to, message",
    [
        (["rep_south"], "No such person"),  # another team: a lead does not even see them
        (["inactive_rep_north"], "is not active"),
        (["rep_north"], "to themselves"),
        (["sdr_north"], "not a rep or account manager"),
        ([], "at least one receiver"),
    ],
)
def test_a_lead_hands_only_to_active_reps_of_the_team(department, book, to, message):
    with pytest.raises(ValidationError, match=message):
        book_hand_over(
            by=department.lead_north,
            owner=department.rep_north,
            to=[getattr(department, name).pk for name in to],
        )
    assert book_of(department.rep_north).totals["clients"] == 5


def test_an_empty_book_has_nothing_to_hand_over(department):
    with pytest.raises(ValidationError, match="nothing to hand over"):
        hand_over_plan(by=department.head, owner=department.rep_north, to=[department.rep_north_2.pk])
