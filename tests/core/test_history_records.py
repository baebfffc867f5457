"""Every tracked model keeps its history through core.history.HistoricalRecords, whose manager
class is built once instead of at each read of `Model.history` (each save reads it)."""

import pytest
from simple_history.models import registered_models

from clients.models import Client
from core.history import HistoryManager
from tests.factories import ClientFactory


def test_every_tracked_model_reads_its_history_through_one_manager_class():
    tracked = sorted(model._meta.label for model in registered_models.values())
    assert len(tracked) == 13, tracked
    for model in registered_models.values():
        first, second = model.history, model.history
        assert isinstance(first, HistoryManager), model
        assert first is not second  # each read still gets its own manager
        assert type(first) is type(second), model


@pytest.mark.django_db
def test_a_change_is_still_recorded_on_the_record_and_on_the_model(department):
    client = ClientFactory(owner=department.rep_north, name="Before")
    client.name = "After"
    client.save()
    assert [row.name for row in client.history.order_by("history_id")] == ["Before", "After"]
    assert Client.history.filter(id=client.pk).count() == 2
    assert client.history.model is Client.history.model
