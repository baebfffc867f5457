"""core.validation.full_clean: Django's full_clean without the foreign-key existence query for a
related object the record already holds, and every other check kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from clients.models import Activity, ActivityKind, Client
from core.validation import full_clean, held_relations
from deals.models import LostReason, Product
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def an_activity(**fields) -> Activity:
    defaults = {"kind": ActivityKind.NOTE, "occurred_at": timezone.now(), "outcome": "Spoke"}
    return Activity(**{**defaults, **fields})


def test_held_related_objects_are_not_looked_up_again(django_assert_num_queries):
    owner = UserFactory()
    client = ClientFactory(owner=owner)
    activity = an_activity(client=client, owner=owner)
    assert held_relations(activity) == {"client", "owner"}
    with django_assert_num_queries(0):
        full_clean(activity)
    # Django's own full_clean asks once per relation
    with django_assert_num_queries(2):
        activity.full_clean()


def test_a_bare_id_is_still_checked_against_the_database():
    owner = UserFactory()
    activity = an_activity(client_id=999_999, owner=owner)
    assert held_relations(activity) == {"owner"}
    with pytest.raises(ValidationError) as error:
        full_clean(activity)
    assert set(error.value.message_dict) == {"client"}


def test_an_unsaved_related_object_is_not_trusted():
    owner = UserFactory()
    unsaved = ClientFactory.build(owner=owner)
    activity = an_activity(client=unsaved, owner=owner)
    assert held_relations(activity) == {"owner"}
    with pytest.raises(ValidationError) as error:
        full_clean(activity)
    assert set(error.value.message_dict) == {"client"}


def test_field_errors_and_uniqueness_are_still_raised():
    owner = UserFactory()
    activity = an_activity(client=ClientFactory(owner=owner), owner=owner, kind="not-a-kind")
    with pytest.raises(ValidationError) as error:
        full_clean(activity)
    assert set(error.value.message_dict) == {"kind"}

    LostReason.objects.create(name="Too dear")
    with pytest.raises(ValidationError) as error:
        full_clean(LostReason(name="Too dear"))
    assert set(error.value.message_dict) == {"name"}


def test_every_kind_of_error_comes_back_at_once():
    """As Django's full_clean: a bad field and a duplicate of another, unique field together."""
    LostReason.objects.create(name="Too dear")
    reason = LostReason(name="Too dear", order="not a number")
    with pytest.raises(ValidationError) as error:
        full_clean(reason)
    assert set(error.value.message_dict) == {"name", "order"}


def test_excluded_fields_are_neither_validated_nor_checked_for_uniqueness():
    LostReason.objects.create(name="Too dear")
    full_clean(LostReason(name="Too dear", order="not a number"), exclude=["name", "order"])
    with pytest.raises(ValidationError) as error:
        full_clean(LostReason(name="Too dear", order="not a number"), exclude=["order"])
    assert set(error.value.message_dict) == {"name"}


def test_constraints_are_checked_unless_asked_not_to():
    product = Product(name="Sensor", code="S-1", list_price=Decimal("-1"), tax_rate=Decimal("150"))
    with pytest.raises(ValidationError) as error:
        full_clean(product)
    assert error.value.message_dict[NON_FIELD_ERRORS] == [
        "Constraint “product_price_non_negative” is violated.",
        "Constraint “product_tax_rate_range” is violated.",
    ]
    full_clean(product, validate_constraints=False)


def test_a_client_is_validated_without_asking_for_its_owner_again(django_assert_num_queries):
    """The client services' call: Django's asks once more, for the owner the service holds."""
    owner = UserFactory()
    client = Client(name="Polar Foods", owner=owner, owner_assigned_by=owner)
    assert held_relations(client) == {"owner", "owner_assigned_by"}
    with django_assert_num_queries(0):
        full_clean(client, exclude=["normalized_name"], validate_constraints=False)
    with django_assert_num_queries(2):
        client.full_clean(exclude=["normalized_name"], validate_constraints=False)
