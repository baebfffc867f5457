"""A lost race (core.errors.Conflict, a deadlock the database broke) answers 409 with a
message — JSON on the API, a page or an htmx fragment on pages — never a 500; a deadlock
is retried once first (core.locks.retry_on_lost_race)."""

import pytest
from django.db import OperationalError, transaction
from django.urls import reverse

import clients.services
from clients.models import ClientStatus
from core.errors import Conflict, is_lost_race
from core.locks import retry_on_lost_race

pytestmark = pytest.mark.django_db

MESSAGE = "Someone else changed this record at the same time; reload the page and try again."


def deadlock() -> OperationalError:
    return OperationalError("deadlock detected\nDETAIL:  Process 1 waits for ShareLock on transaction 2")


@pytest.mark.django_db(transaction=True)  # outside a test transaction, as a request runs
def test_a_deadlock_is_retried_once_then_a_conflict():
    calls = []

    @retry_on_lost_race
    def always_deadlocks():
        calls.append(1)
        raise deadlock()

    with pytest.raises(Conflict) as error:
        always_deadlocks()
    assert len(calls) == 2
    assert str(error.value) == MESSAGE

    outcomes = [deadlock(), "done"]

    @retry_on_lost_race
    def deadlocks_once():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert deadlocks_once() == "done"


def test_other_database_errors_and_outer_transactions_are_not_retried():
    calls = []

    @retry_on_lost_race
    def fails(error):
        calls.append(1)
        raise error

    with pytest.raises(OperationalError):
        fails(OperationalError("no such table: x"))
    assert len(calls) == 1
    with transaction.atomic(), pytest.raises(Conflict):
        fails(deadlock())  # nothing to retry inside someone else's transaction
    assert len(calls) == 2
    assert is_lost_race(deadlock()) and not is_lost_race(ValueError("deadlock detected"))


@pytest.fixture
def lead(department):
    return clients.services.client_create(
        by=department.sdr_north, name="Fresh Lead", status=ClientStatus.LEAD
    )


@pytest.mark.parametrize("error", [Conflict("The lead was handed over meanwhile."), deadlock()])
def test_the_api_answers_a_lost_race_409(api_as, department, lead, monkeypatch, error):
    def lose(**kwargs):
        raise error

    monkeypatch.setattr(clients.services, "client_hand_over", lose)
    response = api_as(department.sdr_north).post(
        f"/api/v1/clients/{lead.pk}/hand-over/", {"to": department.rep_north.pk}, format="json"
    )
    assert response.status_code == 409
    expected = str(error) if isinstance(error, Conflict) else MESSAGE
    assert response.json() == {"detail": expected}


@pytest.mark.parametrize("htmx", [False, True])
def test_a_page_answers_a_lost_race_409_with_the_message(client, department, lead, monkeypatch, htmx):
    def lose(**kwargs):
        raise Conflict("The lead was handed over meanwhile.")

    monkeypatch.setattr(clients.services, "client_hand_over", lose)
    client.force_login(department.sdr_north)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("clients:hand_over", args=[lead.pk]), {"to": department.rep_north.pk}, headers=headers
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "The lead was handed over meanwhile." in body
    assert ("<html" in body) is not htmx
