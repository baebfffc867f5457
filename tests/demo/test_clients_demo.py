"""The demo client base: a few hundred clients of every seller, contacts, two years of
activities with calls dominating, and next steps open, done and overdue."""

import datetime
import random

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from clients.models import Activity, Client, Contact, Industry, Task
from demo import clients as demo
from demo.accounts import seed_staff

pytestmark = pytest.mark.django_db


def test_demo_client_base():
    staff = seed_staff()
    demo.seed(staff=staff, rng=random.Random(20261123), size="small")

    assert Industry.objects.count() == 10
    assert Client.objects.count() == 300
    owners = dict(Client.objects.values_list("owner__username").annotate(n=Count("pk")))
    assert set(owners) == {seller.username for seller in staff.sellers}
    assert min(owners.values()) >= 20
    assert Client.objects.values("normalized_name").distinct().count() == 300
    assert (
        Client.objects.filter(tax_id__isnull=False).values("tax_id").distinct().count()
        == Client.objects.filter(tax_id__isnull=False).count()
    )
    for field in ("status", "tier", "segment", "source", "industry", "territory"):
        assert Client.objects.values(field).distinct().count() >= 3, field

    per_client = Client.objects.annotate(n=Count("contacts")).aggregate(low=Min("n"), high=Max("n"))
    assert (per_client["low"], per_client["high"]) == (1, 3)
    assert Contact.objects.filter(is_decision_maker=True).exists()

    total = Activity.objects.count()
    assert 15_000 <= total <= 25_000
    kinds = dict(Activity.objects.values_list("kind").annotate(n=Count("pk")))
    assert kinds["call"] > total / 2
    assert kinds["call"] > kinds["meeting"] > kinds["visit"]
    assert kinds["email"] > kinds["visit"]
    today = timezone.localdate()
    first = Activity.objects.aggregate(first=Min("occurred_at"))["first"]
    assert timezone.localdate(first) <= today - datetime.timedelta(days=600)
    assert Activity.objects.filter(occurred_at__gt=timezone.now()).count() == 0

    open_tasks = Task.objects.filter(status="open")
    assert open_tasks.filter(due_date__lt=today).count() >= 20
    assert open_tasks.filter(due_date__gte=today).count() >= 100
    assert Task.objects.filter(status="done").count() >= 1000
    for seller in staff.sellers:  # everybody's day has something recent or coming up
        assert open_tasks.filter(owner=seller, due_date__gte=today - datetime.timedelta(days=7)).exists()
    assert open_tasks.exclude(due_time=None).exists()

    client = Client.objects.select_related("owner").first()
    record = client.history.get()
    assert (record.history_user, record.history_date) == (client.owner, client.created_at)


def test_demo_names_are_deterministic():
    assert demo._company_names(random.Random(7), 50) == demo._company_names(random.Random(7), 50)
