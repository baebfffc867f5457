"""factory_boy factories shared by every test module."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Role, Team, Territory, User
from clients.models import Activity, ActivityKind, Client, Contact, Industry


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Territory {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = Role.REP
    password = factory.django.Password("secret-pass-123")


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Industry {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")
    normalized_name = factory.LazyAttribute(lambda client: client.name.casefold())
    owner = factory.SubFactory(UserFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Faker("name")
    phone = factory.Sequence(lambda n: f"+7 900 000-{n:04d}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    client = factory.SubFactory(ClientFactory)
    owner = factory.LazyAttribute(lambda activity: activity.client.owner)
    kind = ActivityKind.CALL
    occurred_at = factory.LazyFunction(timezone.now)
    duration_minutes = 5


def money(value: str) -> Decimal:
    return Decimal(value)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)
