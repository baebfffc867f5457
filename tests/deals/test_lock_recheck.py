"""The right to write is checked again on the locked row (core.locks.lock_one ``check``): a
refusal there, or a row that went out of sight, is a Conflict (409), and nothing is written.
The races themselves run on PostgreSQL in test_lock_recheck_race.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from clients.models import Client
from core.errors import Conflict
from core.locks import lock_one
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("refusal", [PermissionDenied, Http404])
def test_a_refusal_on_the_locked_row_is_a_conflict(department, refusal):
    client = ClientFactory(owner=department.rep_north)
    checked = []

    def refuse(row):
        checked.append(row.pk)  # the locked row itself
        raise refusal()

    with pytest.raises(Conflict):
        lock_one(Client.objects, pk=client.pk, check=refuse)
    assert checked == [client.pk]
    assert lock_one(Client.objects, pk=client.pk, check=lambda row: None) == client
