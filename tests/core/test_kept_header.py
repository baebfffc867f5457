"""The site's header, kept once rendered for a viewer and an address (base.html's
``{% kept_include %}``, core/templatetags/kept.py): a page read again takes it back, and it
shows at once each change of what it reads (the viewer's name, role and unread count, the
language, the page's section). The token of its forms stays valid in each browser."""

import re

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from accounts.roles import Role
from core import tables as core_tables
from reports.models import Notification
from reports.services.notifications import unread_count_forget

pytestmark = pytest.mark.django_db


def header(page: str) -> str:
    return re.search(r'<header class="topbar.*?</header>', page, re.S).group(0)


def active(page: str) -> str:
    return re.search(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', header(page)).group(1)


def logout_token(page: str) -> str:
    form = re.search(r'<form action="/accounts/logout/".*?</form>', header(page), re.S).group(0)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


@pytest.fixture
def rep(client, department):
    client.force_login(department.rep_north)
    core_tables.PAGE_PARTS.clear()
    return department.rep_north


def test_a_second_visit_reads_the_header_back(client, rep, monkeypatch):
    first = client.get(reverse("clients:list")).content.decode()
    assert len(core_tables.PAGE_PARTS) == 1
    assert active(first) == "Clients"

    def not_again(*args, **kwargs):
        raise AssertionError("the header was rendered again")

    # The navigation's links are worked out only when the header is rendered.
    monkeypatch.setattr("accounts.context_processors._links", not_again)
    again = client.get(reverse("clients:list")).content.decode()
    assert header(again) == header(first)
    assert len(core_tables.PAGE_PARTS) == 1


def test_the_header_shows_each_change_of_what_it_reads(client, rep):
    clients_page = client.get(reverse("clients:list")).content.decode()
    assert active(clients_page) == "Clients"
    assert active(client.get(reverse("deals:list")).content.decode()) == "Deals"
    assert 'data-testid="unread-count"' not in header(clients_page)

    Notification.objects.create(kind="digest", recipient=rep, digest_on="2026-12-01")
    unread_count_forget([rep.pk])
    with_unread = client.get(reverse("clients:list")).content.decode()
    assert re.search(r'data-testid="unread-count"[^>]*>1</span>', header(with_unread))

    rep.last_name = "Renamed"
    rep.save()
    assert f"{rep.first_name} Renamed" in header(client.get(reverse("clients:list")).content.decode())

    rep.role = Role.HEAD
    rep.save()
    as_head = header(client.get(reverse("clients:list")).content.decode())
    assert ">Webhooks</a>" in as_head  # the head's section
    assert 'class="role">Head of sales</span>' in as_head

    in_russian = client.get(reverse("clients:list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert active(in_russian) == "Клиенты"


def test_the_kept_headers_token_works_in_each_browser(department):
    """Each browser (each CSRF secret) gets its own header: signing out through the form of a
    kept header passes the CSRF check in the browser that shows it, also when another browser
    of the same person visited the same page first."""
    first, second = BrowserClient(enforce_csrf_checks=True), BrowserClient(enforce_csrf_checks=True)
    first.force_login(department.rep_north)
    second.force_login(department.rep_north)
    core_tables.PAGE_PARTS.clear()
    address = reverse("clients:list")
    first.get(address)
    kept = first.get(address).content.decode()
    theirs = second.get(address).content.decode()
    assert len(core_tables.PAGE_PARTS) == 2
    sign_out = reverse("accounts:logout")
    assert second.post(sign_out, {"csrfmiddlewaretoken": logout_token(theirs)}).status_code == 302
    assert first.post(sign_out, {"csrfmiddlewaretoken": logout_token(kept)}).status_code == 302
    assert first.get(address).status_code == 302  # signed out: sent to sign in
