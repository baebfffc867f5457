"""The pages for merging: possible duplicates (head and leads, what they see, grouped in the
database, constant queries) and the side-by-side merge page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.duplicates import duplicate_groups
from clients.models import Client, Contact
from sync.models import Tombstone
from tests.factories import ClientFactory, ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


def groups_of(viewer) -> list[tuple[str, str, int]]:
    return [(row["kind"], row["value"], row["size"]) for row in duplicate_groups(viewer=viewer)]


def test_possible_duplicates_share_a_name_a_phone_or_a_company_mail_domain(department):
    rep, rep_2, south = department.rep_north, department.rep_north_2, department.rep_south
    ClientFactory(owner=rep, name="Acme LLC", normalized_name="acme")
    ClientFactory(owner=rep_2, name="ACME", normalized_name="acme")
    ClientFactory(owner=south, name="Acme, Ltd.", normalized_name="acme")
    ClientFactory(owner=rep, name="Alpha", normalized_name="alpha", phone="+7 (495) 123-45-67")
    ClientFactory(owner=south, name="Beta", normalized_name="beta", phone="7 495 1234567")
    gamma = ClientFactory(owner=rep, name="Gamma", normalized_name="gamma")
    delta = ClientFactory(owner=rep_2, name="Delta", normalized_name="delta")
    ContactFactory(client=gamma, email="a@Gamma-Group.example")
    ContactFactory(client=gamma, email="b@gamma-group.example")
    ContactFactory(client=delta, email="c@gamma-group.example")
    # Free mail says nothing about the company; short phones are not compared.
    for name in ("One", "Two"):
        client = ClientFactory(owner=rep, name=name, normalized_name=name.lower(), phone="12")
        ContactFactory(client=client, email=f"{name}@gmail.com")
        ContactFactory(client=client, email=f"{name}@mail.ru")

    assert groups_of(department.head) == [
        ("domain", "gamma-group.example", 2),
        ("name", "acme", 3),
        ("phone", "74951234567", 2),
    ]
    assert groups_of(department.lead_north) == [("domain", "gamma-group.example", 2), ("name", "acme", 2)]


def test_the_list_page_for_the_head_with_merge_links(client, department):
    first = ClientFactory(owner=department.rep_north, name="Acme", normalized_name="acme")
    second = ClientFactory(owner=department.rep_south, name="Acme Ltd", normalized_name="acme")
    client.force_login(department.head)
    response = client.get(reverse("clients:duplicates"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/clients/{first.pk}/merge/?duplicate={second.pk}"' in body
    assert body.count('class="button small"') == 1


@pytest.mark.parametrize("who", ["rep_north", "assistant_north", "analyst", "sdr_north"])
def test_others_may_not_open_the_duplicates_list(client, department, who):
    client.force_login(getattr(department, who))
    assert client.get(reverse("clients:duplicates")).status_code == 403


def test_the_list_costs_the_same_queries_for_2_and_12_groups(client, department):
    client.force_login(department.lead_north)

    def make_groups(start, count):
        for index in range(start, start + count):
            for owner in (department.rep_north, department.rep_north_2):
                ClientFactory(owner=owner, name=f"Twin {index}", normalized_name=f"twin {index}")

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("clients:duplicates"))
        assert response.status_code == 200
        return response.content.decode().count('class="button small"'), len(queries)

    make_groups(0, 2)
    rows_small, small = measure()
    make_groups(2, 10)
    rows_large, large = measure()
    assert (rows_small, rows_large) == (2, 12)
    assert small == large


def test_the_list_is_paginated(client, department):
    for index in range(21):
        for owner in (department.rep_north, department.rep_south):
            ClientFactory(owner=owner, name=f"Twin {index:02d}", normalized_name=f"twin {index:02d}")
    client.force_login(department.head)
    first = client.get(reverse("clients:duplicates")).content.decode()
    second = client.get(reverse("clients:duplicates"), {"page": 2}).content.decode()
    assert (first.count('class="button small"'), second.count('class="button small"')) == (20, 1)
    assert "Page 1 of 2" in first


# -------------------------------------------------------------------------------- the merge page


def test_the_merge_page_shows_both_records_and_a_choice_per_differing_field(client, department):
    survivor = ClientFactory(owner=department.rep_north, name="Acme", phone="", website="acme.example")
    duplicate = ClientFactory(
        owner=department.rep_north, name="Acme Ltd", phone="+7 1", website="acme.example"
    )
    ContactFactory.create_batch(2, client=duplicate)
    client.force_login(department.lead_north)
    response = client.get(reverse("clients:merge", args=[survivor.pk]), {"duplicate": duplicate.pk})
    assert response.status_code == 200
    body = response.content.decode()
    checked = dict(re.findall(r'name="field_(\w+)" value="(\w+)" checked', body))
    assert checked == {"name": "survivor", "phone": "duplicate"}
    assert "2 contacts" in body
    assert "data-confirm=" in body


def test_merging_on_the_page(client, department):
    survivor = ClientFactory(owner=department.rep_north, name="Acme")
    duplicate = ClientFactory(owner=department.rep_north, name="Acme Group")
    DealFactory(client=duplicate)
    client.force_login(department.lead_north)
    response = client.post(
        reverse("clients:merge", args=[survivor.pk]),
        {"duplicate": duplicate.pk, "field_name": "duplicate"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/clients/{survivor.pk}/", 302)]
    assert f"Merged #{duplicate.pk} into “Acme Group”; linked records moved: 1." in response.content.decode()
    assert Client.objects.get(pk=survivor.pk).name == "Acme Group"
    assert not Client.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("raw", ["abc", "99999999", "SELF", "HIDDEN", "1" * 40])
def test_a_bad_duplicate_is_a_message_and_nothing_changes(client, department, raw):
    survivor = ClientFactory(owner=department.rep_north)
    hidden = ClientFactory(owner=department.rep_south)
    raw = {"SELF": str(survivor.pk), "HIDDEN": str(hidden.pk)}.get(raw, raw)
    client.force_login(department.lead_north)
    response = client.post(reverse("clients:merge", args=[survivor.pk]), {"duplicate": raw})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Client.objects.count() == 2
    assert Tombstone.objects.count() == 0


def test_a_rep_sees_no_merge_button_and_is_refused(client, department):
    mine = ClientFactory(owner=department.rep_north)
    client.force_login(department.rep_north)
    assert "Merge a duplicate" not in client.get(reverse("clients:detail", args=[mine.pk])).content.decode()
    assert client.get(reverse("clients:merge", args=[mine.pk])).status_code == 403
    client.force_login(department.lead_north)
    assert "Merge a duplicate" in client.get(reverse("clients:detail", args=[mine.pk])).content.decode()


def test_merging_two_contacts_on_the_page(client, department):
    acme = ClientFactory(owner=department.rep_north)
    survivor = ContactFactory(client=acme, name="Ivan", email="")
    duplicate = ContactFactory(client=acme, name="Ivan Petrov", email="ivan@acme.example")
    client.force_login(department.head)
    page = client.get(reverse("clients:contact_merge", args=[survivor.pk]))
    assert f'href="?duplicate={duplicate.pk}"' in page.content.decode()
    response = client.post(
        reverse("clients:contact_merge", args=[survivor.pk]),
        {"duplicate": duplicate.pk, "field_name": "duplicate"},
    )
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert (survivor.name, survivor.email) == ("Ivan Petrov", "ivan@acme.example")
    assert list(Contact.objects.values_list("pk", flat=True)) == [survivor.pk]
