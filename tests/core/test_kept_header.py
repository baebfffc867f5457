"""The site's header, kept once rendered for a viewer and a page (base.html's
``{% kept_include %}``, core/templatetags/kept.py): a page read again takes it back, and it
shows at once each change of what it reads (the viewer's name, role and unread count, the
language, the page's section). Its forms' token and return address are the request's own:
the token masked anew for every answer and valid in each browser."""

import re

import pytest
from django.test import Client as BrowserClient
from django.urls import reverse

from accounts.roles import Role
from core import tables as core_tables
from reports.models import Notification
from reports.services.notifications import unread_count_forget

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


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
    assert TOKEN.sub(r"\1", header(again)) == TOKEN.sub(r"\1", header(first))
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


def test_the_kept_headers_token_is_each_answers_own_and_works_in_each_browser(department):
    """One header is kept for the person and page, whatever the browser or query: the token
    in it is masked anew for each answer (as Django's own tag does) and passes the CSRF check
    in the browser that shows it; the language form returns to the address asked for."""
    first, second = BrowserClient(enforce_csrf_checks=True), BrowserClient(enforce_csrf_checks=True)
    first.force_login(department.rep_north)
    second.force_login(department.rep_north)
    core_tables.PAGE_PARTS.clear()
    address = reverse("clients:list")
    first.get(address)
    kept = first.get(address + "?q=a&b=c").content.decode()
    theirs = second.get(address).content.decode()
    assert len(core_tables.PAGE_PARTS) == 1
    assert len({logout_token(kept), logout_token(theirs)}) == 2
    assert 'name="next" type="hidden" value="/clients/?q=a&amp;b=c"' in header(kept)
    assert f'name="next" type="hidden" value="{address}"' in header(theirs)
    sign_out = reverse("accounts:logout")
    assert second.post(sign_out, {"csrfmiddlewaretoken": logout_token(theirs)}).status_code == 302
    assert first.post(sign_out, {"csrfmiddlewaretoken": logout_token(kept)}).status_code == 302
    assert first.get(address).status_code == 302  # signed out: sent to sign in


@pytest.mark.parametrize(
    ("who", "address"),
    [
        (None, "/accounts/login/"),
        (None, "/no-such-page/"),
        ("rep_north", "/clients/"),
        ("rep_north", "/deals/list/?status=open"),
        ("rep_north", "/no-such-page/"),
        ("analyst", "/deals/"),
        ("head", "/deals/board/"),
        ("lead_north", "/targets/receivables/"),
    ],
)
def test_a_kept_header_is_the_header_rendered_anew(client, department, who, address):
    """For the anonymous and each role, on pages of several sections and a missing one, the
    header read back is the one rendered afresh (but for the token's mask)."""
    if who:
        client.force_login(getattr(department, who))
    core_tables.PAGE_PARTS.clear()
    fresh = header(client.get(address).content.decode())
    assert len(core_tables.PAGE_PARTS) == 1
    kept = header(client.get(address).content.decode())
    assert TOKEN.sub(r"\1", kept) == TOKEN.sub(r"\1", fresh)
    assert TOKEN.search(kept)


def test_the_next_person_in_the_same_browser_gets_their_own_header(client, department):
    core_tables.PAGE_PARTS.clear()
    client.force_login(department.rep_north)
    assert department.rep_north.full_name in header(client.get("/clients/").content.decode())
    client.force_login(department.rep_south)  # same role, same page, same browser
    theirs = header(client.get("/clients/").content.decode())
    assert department.rep_south.full_name in theirs
    assert department.rep_north.full_name not in theirs
