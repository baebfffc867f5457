"""One table definition per list: the page and its export share columns, sorting is the
API's ``?ordering=`` and is strict, pages and exports run a constant number of queries.
Exercised through the people list, the first list built on core.tables."""

import csv
import io

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from openpyxl import load_workbook

from accounts.models import Role, User
from accounts.tables import StaffTable
from core.tables import ListTable, MoneyColumn
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _names_in_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


@pytest.fixture
def people(department):
    return [
        UserFactory(username=f"p{n}", first_name=first, last_name=last, role=Role.REP, team=department.north)
        for n, (first, last) in enumerate([("Ann", "Zeta"), ("Bob", "Alpha"), ("Cid", "Mu")])
    ]


def test_the_list_sorts_by_the_apis_ordering_parameter_both_ways(client, department, people):
    client.force_login(department.head)
    names = [person.get_full_name() for person in people]
    ascending = client.get(reverse("accounts:staff"), {"team": department.north.pk, "ordering": "name"})
    descending = client.get(reverse("accounts:staff"), {"team": department.north.pk, "ordering": "-name"})
    assert ascending.status_code == descending.status_code == 200
    shown = list(names)
    assert _names_in_order(ascending.content.decode(), shown) == ["Bob Alpha", "Cid Mu", "Ann Zeta"]
    assert _names_in_order(descending.content.decode(), shown) == ["Ann Zeta", "Cid Mu", "Bob Alpha"]
    assert 'aria-sort="descending"' in descending.content.decode()


@pytest.mark.parametrize("ordering", [",", ",,name", "-", "nonexistent", "-password", "team__lead__password"])
def test_a_bad_ordering_is_ignored_not_a_server_error(client, department, people, ordering):
    client.force_login(department.head)
    response = client.get(reverse("accounts:staff"), {"team": department.north.pk, "ordering": ordering})
    assert response.status_code == 200
    # the default order (by name) is used
    page = response.content.decode()
    assert _names_in_order(page, ["Ann Zeta", "Bob Alpha", "Cid Mu"]) == ["Bob Alpha", "Cid Mu", "Ann Zeta"]


def test_the_csv_export_has_exactly_the_tables_columns_in_the_pages_order(client, department, people):
    client.force_login(department.head)
    response = client.get(
        reverse("accounts:staff_export", args=["csv"]), {"team": department.north.pk, "ordering": "-name"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    table = StaffTable([])
    exported = [column for column in table.columns.iterall() if not column.column.exclude_from_export]
    assert rows[0] == [str(column.header) for column in exported]
    assert rows[0] == ["Name", "Username", "Role", "Team", "Territory", "E-mail", "Phone"]
    north = {department.lead_north, department.rep_north, department.rep_north_2, department.sdr_north}
    north |= {department.assistant_north, *people}  # the inactive rep is not listed
    assert len(rows) - 1 == len(north)
    by_username = {row[1]: row for row in rows[1:]}
    assert by_username["p1"] == [
        "Bob Alpha",
        "p1",
        "Sales rep",
        "North",
        "",
        people[1].email,
        people[1].phone,
    ]


def test_the_xlsx_export_holds_the_same_rows(client, department, people):
    client.force_login(department.head)
    response = client.get(reverse("accounts:staff_export", args=["xlsx"]), {"role": "analyst"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Name", "Username", "Role", "Team", "Territory", "E-mail", "Phone"]
    assert [row[1] for row in values[1:]] == ["analyst"]


def test_an_unknown_export_format_is_not_found(client, department):
    client.force_login(department.head)
    assert client.get(reverse("accounts:staff_export", args=["pdf"])).status_code == 404


def test_the_export_shows_only_what_the_viewer_may_see(client, department):
    client.force_login(department.rep_south)
    response = client.get(reverse("accounts:staff_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert department.rep_south.username in text
    assert department.rep_north.username not in text
    assert department.head.username not in text


def test_page_and_export_run_a_constant_number_of_queries(client, department, django_assert_num_queries):
    client.force_login(department.head)

    def rows_on_page() -> int:
        response = client.get(reverse("accounts:staff"), {"ordering": "-name"})
        assert response.status_code == 200
        return response.content.decode().count("data-row=")

    def exported_rows() -> int:
        response = client.get(reverse("accounts:staff_export", args=["csv"]))
        assert response.status_code == 200
        return len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) - 1

    # 13 active people in the department fixture
    with django_assert_num_queries(5):  # the user, team choices, saved views, count, page
        assert rows_on_page() == 13
    with django_assert_num_queries(2):  # the user, the rows
        assert exported_rows() == 13
    UserFactory.create_batch(60, team=department.north)
    with django_assert_num_queries(5):
        assert rows_on_page() == 50  # one page
    with django_assert_num_queries(2):
        assert exported_rows() == 73


def test_the_page_size_cannot_be_raised_from_the_address(client, department):
    UserFactory.create_batch(60, team=department.north)
    client.force_login(department.head)
    response = client.get(reverse("accounts:staff"), {"per_page": "100000"})
    assert response.status_code == 200
    assert response.content.decode().count("data-row=") == 50


class _MixedTable(ListTable):
    """Columns of every kind the lists use, to compare the two ways of rendering rows."""

    username = tables.Column(attrs={"td": {"class": lambda record: "me" if record.username == "p0" else ""}})
    role = tables.Column()  # a field with choices: its label
    email = tables.Column(default="none")  # empty: the default
    staff = tables.BooleanColumn(accessor="is_staff")
    team = tables.Column(accessor="team__name", attrs={"td": {"class": "team", "data-x": "<1>"}})
    joined = tables.Column(accessor="date_joined")  # a datetime, localized in the page's language
    link = tables.Column(accessor="last_name", linkify=lambda record: f"/people/{record.pk}/")
    amount = MoneyColumn("Amount", accessor="pk")

    class Meta(ListTable.Meta):
        row_attrs = {"data-row": lambda record: record.pk, "class": lambda record: record.last_name.lower()}

    def render_username(self, value, record):
        return format_html("<b>{}</b> &amp; {}", value, record.pk)


ROWS_BY_CELL = Template(
    "{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}"
    "<td{% with attrs=column.attrs.td.as_html %}{% if attrs %} {{ attrs }}{% endif %}{% endwith %}>"
    "{{ cell }}</td>"
    "{% endfor %}</tr>{% endfor %}"
)
ROWS_AT_ONCE = Template(
    "{% for row in table.rendered_rows %}<tr {{ row.attrs }}>{{ row.cells }}</tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_rows_rendered_at_once_are_the_cells_django_tables2_renders(department, people, language):
    people[0].email = ""
    people[0].save()
    rows = User.objects.filter(pk__in=[person.pk for person in people]).select_related("team").order_by("pk")
    with translation.override(language):
        by_cell = ROWS_BY_CELL.render(Context({"table": _MixedTable(rows)}))
        at_once = ROWS_AT_ONCE.render(Context({"table": _MixedTable(rows)}))
    assert at_once == by_cell
    assert at_once.count("<tr ") == 3
    assert '<td class="me"><b>p0</b> &amp; ' in at_once
    assert f'<tr data-row="{people[1].pk}" class="alpha odd">' in at_once
    assert '<td class="team" data-x="&lt;1&gt;">North</td>' in at_once
    assert f'<a href="/people/{people[0].pk}/">Zeta</a>' in at_once


# --- The key of a kept row (core.tables._record_state): equal exactly when the row reads the same.


def _deal(**fields):
    from decimal import Decimal

    from deals.models import Deal

    return Deal(pk=7, title="Alpha", amount=Decimal("1000.00"), **fields)


def test_a_rows_key_is_equal_for_the_same_values_and_differs_for_any_change():
    import datetime
    from decimal import Decimal

    from core.tables import _record_state

    same, other = _deal(), _deal()
    assert _record_state(same) == _record_state(other)
    assert hash(_record_state(same)) == hash(_record_state(other))

    other.title = "Alpha!"
    assert _record_state(same) != _record_state(other)
    # 1000.0 equals 1000.00 as a number but reads differently in a cell
    other = _deal()
    other.amount = Decimal("1000.0")
    assert _record_state(same) != _record_state(other)
    # annotations count, unhashable ones too (keyed by their repr)
    same.facts_seen = ["signed", "paid"]
    other = _deal()
    other.facts_seen = ["signed"]
    assert _record_state(same) != _record_state(other)
    other.facts_seen = ["signed", "paid"]
    assert _record_state(same) == _record_state(other)
    same.last_touch = other.last_touch = datetime.date(2026, 12, 1)
    assert _record_state(same) == _record_state(other)


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans", "en"])
def test_a_choice_label_is_djangos_in_each_language(department, language):
    from core.tables import choice_label

    with translation.override(language):
        for person in (department.head, department.rep_north, department.analyst):
            assert choice_label(person, "role") == person.get_role_display()
    stranger = User(role="no-such-role")
    assert choice_label(stranger, "role") == "no-such-role" == stranger.get_role_display()
