"""Two hand-overs of one lead at once, on PostgreSQL with two real connections (issue 11:
the second ended in Client.DoesNotExist, a 500). The second waits for the first and is
refused with a field message; the lead has one new owner and one history entry."""

from django.core.exceptions import ValidationError

from clients import services
from clients.models import Client, ClientStatus
from tests.concurrency import POSTGRESQL_ONLY, run_concurrently

pytestmark = POSTGRESQL_ONLY


def test_the_second_of_two_hand_overs_of_one_lead_waits_and_is_refused(department):
    lead = services.client_create(by=department.sdr_north, name="Fresh Lead", status=ClientStatus.LEAD)
    seen_by_sdr = Client.objects.get(pk=lead.pk)
    seen_by_lead = Client.objects.get(pk=lead.pk)

    first_error, second_error, second_was_waiting = run_concurrently(
        lambda: services.client_hand_over(
            client=seen_by_sdr, to=department.rep_north, by=department.sdr_north
        ),
        lambda: services.client_hand_over(
            client=seen_by_lead, to=department.rep_north_2, by=department.lead_north
        ),
    )

    assert first_error is None
    assert isinstance(second_error, ValidationError), repr(second_error)
    assert second_error.message_dict == {
        "status": ["Only a lead is handed over; this client is no longer one."]
    }
    assert second_was_waiting is True
    client = Client.objects.get(pk=lead.pk)
    assert (client.owner, client.status) == (department.rep_north, ClientStatus.PROSPECT)
    assert client.history.filter(history_change_reason="Handed over").count() == 1
