"""Global search: what each kind matches, visibility, the 10-per-kind cap, the term's bounds,
the registry, the header's dropdown, the results page and GET /api/v1/search/."""

import importlib

import pytest
from django.urls import reverse

from clients.models import Client
from deals import search as search_module
from deals.search import Hit, clean_term, register, search
from tests.factories import ClientFactory, ContactFactory, DealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(department):
    """rep_north's client Aurora (a decision maker Ivan Petrov, a deal), rep_south's Aurum."""
    aurora = ClientFactory(
        owner=department.rep_north, name="Aurora Logistics", tax_id="7701234567", phone="+7 495 111-22-33"
    )
    ivan = ContactFactory(
        client=aurora,
        name="Ivan Petrov",
        phone="+7 900 555-0101",
        email="ivan@aurora.example",
        is_decision_maker=True,
    )
    deal = DealFactory(client=aurora, owner=department.rep_north, title="Cold store extension")
    aurum = ClientFactory(owner=department.rep_south, name="Aurum Mining", phone="+7 812 000-00-00")
    hidden_contact = ContactFactory(client=aurum, name="Olga Aurova", email="olga@aurum.example")
    hidden_deal = DealFactory(client=aurum, owner=department.rep_south, title="Aurora-style warehouse")
    return {
        "aurora": aurora,
        "ivan": ivan,
        "deal": deal,
        "aurum": aurum,
        "hidden_contact": hidden_contact,
        "hidden_deal": hidden_deal,
    }


def ids(hits: list[Hit]) -> list[int]:
    return [hit.id for hit in hits]


def test_a_client_is_found_by_name_tax_id_phone_and_its_contacts_name_phone_and_email(department, book):
    rep = department.rep_north
    aurora = book["aurora"].pk
    for term in ("rora log", "AURORA", "770123", "77-01 23", "111-22", "Ivan Pet", "555-0101", "ivan@aurora"):
        assert ids(search(viewer=rep, term=term)["clients"]) == [aurora], term


def test_contacts_by_name_phone_email_and_deals_by_title_or_client_name(department, book):
    rep = department.rep_north
    assert ids(search(viewer=rep, term="petrov")["contacts"]) == [book["ivan"].pk]
    assert ids(search(viewer=rep, term="555-01")["contacts"]) == [book["ivan"].pk]
    assert ids(search(viewer=rep, term="ivan@")["contacts"]) == [book["ivan"].pk]
    assert ids(search(viewer=rep, term="cold store")["deals"]) == [book["deal"].pk]
    assert ids(search(viewer=rep, term="aurora log")["deals"]) == [book["deal"].pk]


def test_tasks_by_title_or_client_name_open_ones_first(department, book):
    import datetime

    from django.utils import timezone

    from clients.models import TaskStatus
    from tests.factories import TaskFactory

    today = timezone.localdate()
    done = TaskFactory(
        client=book["aurora"],
        owner=department.rep_north,
        title="Call Ivan",
        status=TaskStatus.DONE,
        due_date=today,
    )
    later = TaskFactory(
        client=book["aurora"],
        owner=department.rep_north,
        title="Demo",
        due_date=today + datetime.timedelta(days=3),
    )
    sooner = TaskFactory(
        client=book["aurora"], owner=department.rep_north, title="Send the quote", due_date=today
    )
    TaskFactory(client=book["aurum"], owner=department.rep_south, title="Call Olga", due_date=today)
    rep = department.rep_north
    assert ids(search(viewer=rep, term="aurora")["tasks"]) == [sooner.pk, later.pk, done.pk]
    assert ids(search(viewer=rep, term="call")["tasks"]) == [done.pk]
    assert len(search(viewer=department.head, term="call")["tasks"]) == 2
    hit = search(viewer=rep, term="quote")["tasks"][0]
    assert (hit.label, hit.url, hit.extra["status"]) == ("Send the quote", f"/tasks/{sooner.pk}/", "open")


def test_a_task_is_found_by_client_name_through_either_visibility_path(department, book):
    """A rep sees the tasks they do (on anyone's client) and every task on their own clients;
    the client-name lookup runs one arm per path and must keep both, and nothing else."""
    from tests.factories import TaskFactory

    theirs_on_mine = TaskFactory(client=book["aurora"], owner=department.rep_south, title="Visit")
    mine_on_theirs = TaskFactory(client=book["aurum"], owner=department.rep_north, title="Help")
    TaskFactory(client=book["aurum"], owner=department.rep_south, title="Invoice")
    rep = department.rep_north
    assert ids(search(viewer=rep, term="aurora log")["tasks"]) == [theirs_on_mine.pk]
    assert ids(search(viewer=rep, term="aurum min")["tasks"]) == [mine_on_theirs.pk]
    assert len(search(viewer=department.head, term="aurum min")["tasks"]) == 2


def test_search_finds_only_what_the_viewer_sees(department, book):
    found = search(viewer=department.rep_north, term="aur")
    assert ids(found["clients"]) == [book["aurora"].pk]
    assert ids(found["contacts"]) == [book["ivan"].pk]  # "ivan@aurora..." yes, Olga Aurova no
    assert ids(found["deals"]) == [book["deal"].pk]
    head = search(viewer=department.head, term="aur")
    assert ids(head["clients"]) == [book["aurora"].pk, book["aurum"].pk]
    assert set(ids(head["deals"])) == {book["deal"].pk, book["hidden_deal"].pk}
    assert ids(search(viewer=department.lead_south, term="aur")["clients"]) == [book["aurum"].pk]
    assert search(viewer=department.inactive_rep_north, term="aur") == {
        "clients": [],
        "contacts": [],
        "deals": [],
        "tasks": [],
    }


def test_at_most_ten_of_each_kind_and_names_that_start_with_the_term_first(department):
    owner = department.rep_north
    ClientFactory(owner=owner, name="Big Nord Trading")
    for number in range(12):
        client = ClientFactory(owner=owner, name=f"Nordic {number:02d}")
        DealFactory(client=client, owner=owner, title=f"Nordic deal {number:02d}")
    found = search(viewer=owner, term="nord")
    assert [hit.label for hit in found["clients"]] == [f"Nordic {n:02d}" for n in range(10)]
    assert len(found["deals"]) == 10
    assert search(viewer=owner, term="big nord")["clients"][0].label == "Big Nord Trading"


def test_the_term_is_two_to_a_hundred_characters_with_spaces_collapsed():
    assert clean_term("  ab   cd ") == "ab cd"
    assert clean_term("a\x00b\tc") == "a b c"  # PostgreSQL refuses a NUL in a literal
    for bad in ("", " ", "a", " a ", "x" * 101, None):
        with pytest.raises(search_module.SearchTermError):
            clean_term(bad)
    assert clean_term("x" * 100) == "x" * 100


def test_a_kind_registers_as_one_function(department, book, monkeypatch):
    monkeypatch.setattr(search_module, "REGISTRY", dict(search_module.REGISTRY))

    def find_tasks(*, viewer, term, limit):
        return [Hit(id=1, label=f"Call about {term}", detail="", url="/tasks/1/")][:limit]

    register("tasks", "Tasks", find_tasks)
    found = search(viewer=department.rep_north, term="aurora")
    assert list(found) == ["clients", "contacts", "deals", "tasks"]
    assert [hit.label for hit in found["tasks"]] == ["Call about aurora"]


# --- the API -----------------------------------------------------------------------------------


def test_api_answers_each_kind_with_its_fields(api_as, department, book):
    response = api_as(department.rep_north).get("/api/v1/search/", {"q": "aurora"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["clients", "contacts", "deals", "tasks"]
    aurora = book["aurora"]
    assert body["clients"] == [
        {
            "id": aurora.pk,
            "label": "Aurora Logistics",
            "detail": f"7701234567 · +7 495 111-22-33 · {department.rep_north.full_name}",
            "url": f"/clients/{aurora.pk}/",
            "name": "Aurora Logistics",
            "tax_id": "7701234567",
            "phone": "+7 495 111-22-33",
            "status": aurora.status,
            "owner": department.rep_north.pk,
            "owner_name": department.rep_north.full_name,
        }
    ]
    assert [row["id"] for row in body["contacts"]] == [book["ivan"].pk]
    assert body["contacts"][0]["client_name"] == "Aurora Logistics"
    assert body["contacts"][0]["url"] == f"/clients/{aurora.pk}/#contact-{book['ivan'].pk}"
    assert [row["id"] for row in body["deals"]] == [book["deal"].pk]
    assert body["deals"][0]["stage_name"] == "Lead"


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "a"}, {"q": "  b  "}, {"q": "x" * 101}])
def test_api_refuses_a_term_too_short_or_too_long(api_as, department, params):
    response = api_as(department.rep_north).get("/api/v1/search/", params)
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_api_needs_a_sign_in(api_client):
    assert api_client.get("/api/v1/search/", {"q": "aurora"}).status_code in (401, 403)


def test_api_with_odd_input_never_fails(api_as, department, book):
    client = api_as(department.rep_north)
    for term in ("%%", "__", "' OR 1=1 --", "\\\\", "Ω≈ç√", "a\x00b"):
        response = client.get("/api/v1/search/", {"q": term})
        assert response.status_code in (200, 400), term
    assert client.get("/api/v1/search/", {"q": "%%"}).json() == {
        "clients": [],
        "contacts": [],
        "deals": [],
        "tasks": [],
    }


# --- the pages -----------------------------------------------------------------------------------


def test_the_dropdown_lists_hits_grouped_with_a_link_to_all_results(client, department, book):
    client.force_login(department.rep_north)
    response = client.get(reverse("header:search_suggest"), {"q": "aurora"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="search-hit"') == 3
    assert f'href="/clients/{book["aurora"].pk}/"' in html
    assert "Aurum" not in html
    assert 'href="/search/?q=aurora"' in html


def test_the_dropdown_is_empty_while_the_term_is_too_short(client, department, book):
    client.force_login(department.rep_north)
    response = client.get(reverse("header:search_suggest"), {"q": "a"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_dropdown_says_when_nothing_matches(client, department, book):
    client.force_login(department.rep_north)
    html = client.get(reverse("header:search_suggest"), {"q": "zzzz"}).content.decode()
    assert "Nothing found for “zzzz”." in html


def test_the_results_page_shows_every_kind(client, department, book):
    client.force_login(department.rep_north)
    response = client.get(reverse("header:search"), {"q": "aurora"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="search-result-link"') == 3
    for kind in ("clients", "contacts", "deals"):
        assert f'data-kind="{kind}"' in html


def test_the_results_page_explains_a_bad_term_with_400(client, department):
    client.force_login(department.rep_north)
    response = client.get(reverse("header:search"), {"q": "a"})
    assert response.status_code == 400
    assert "Type at least 2 characters." in response.content.decode()
    assert client.get(reverse("header:search"), {"q": "y" * 5000}).status_code == 400
    assert client.get(reverse("header:search")).status_code == 200


def test_every_page_has_the_search_box_and_the_log_button(client, department):
    client.force_login(department.rep_north)
    html = client.get(reverse("clients:list")).content.decode()
    assert 'id="header-search-q"' in html
    assert 'data-testid="quick-log-button"' in html
    client.force_login(department.analyst)
    html = client.get(reverse("clients:list")).content.decode()
    assert 'id="header-search-q"' in html
    assert 'data-testid="quick-log-button"' not in html


def test_pages_need_a_sign_in(client):
    response = client.get(reverse("header:search"), {"q": "aurora"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- PostgreSQL: the trigram indexes --------------------------------------------------------------


def test_on_postgresql_every_searched_column_has_a_trigram_index_the_lookup_can_use(department, book):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only (SQLite scans)")
    migration = importlib.import_module("deals.migrations.0005_search_trigram_indexes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        found = dict(cursor.fetchall())
        assert set(found) == {name for name, _table, _column in migration.SEARCH_INDEXES} | {
            "task_title_trgm"
        }
        assert all("gin_trgm_ops" in definition and "upper(" in definition for definition in found.values())
        # with sequential scans off, the planner reaches the name through its index: the
        # expression Django writes for icontains is the indexed one
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A plain index on the name (the list's sort) could be walked whole with the pattern as
        # a filter; only an index that answers the pattern itself may serve a bitmap scan.
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        sql, params = Client.objects.filter(name__icontains="rora").values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "client_name_trgm" in plan, plan


def test_on_postgresql_the_trigram_indexes_keep_no_pending_list(department, book):
    """A GIN pending list (fastupdate) is read whole by every search until a VACUUM merges it:
    after a bulk load it made the planner scan the contacts instead (deals 0012)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes exist on PostgreSQL only (SQLite scans)")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%%_trgm' AND relkind = 'i'"
        )
        options = dict(cursor.fetchall())
    assert len(options) == 9
    assert all(value == ["fastupdate=off"] for value in options.values()), options


def test_a_deal_hit_names_its_seeded_stage_in_the_readers_language(department, book):
    from django.utils import translation

    stage = book["deal"].stage
    assert stage.name == "Lead"
    with translation.override("zh-hans"):
        (hit,) = search(viewer=department.rep_north, term="cold store")["deals"]
        expected = f"Aurora Logistics · {stage.display_name}"
    assert hit.detail == expected and "Lead" not in hit.detail
