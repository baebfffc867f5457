"""The base layout, the people page and the language switcher."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.openapi import openapi_document

pytestmark = pytest.mark.django_db


def measured(django_assert_num_queries, queries: int, request, shown, rows) -> None:
    """The request answers 200 in `queries` queries and shows `rows` (as `shown` counts them):
    an error or an empty answer would run few queries too."""
    with django_assert_num_queries(queries):
        response = request()
    assert response.status_code == 200, response.content
    assert shown(response) == rows


def test_layout_shows_the_user_role_and_navigation(client, department):
    client.force_login(department.lead_north)
    page = client.get(reverse("home")).content.decode()
    assert department.lead_north.get_full_name() in page
    assert "Team lead" in page
    assert 'href="/accounts/people/"' in page
    assert 'href="/api/docs/"' in page
    assert 'href="/admin/"' not in page  # only staff users get the admin link
    assert 'action="/i18n/setlang/"' in page


def test_people_page_lists_only_what_the_viewer_may_see(client, department):
    client.force_login(department.rep_south)
    page = client.get(reverse("accounts:staff")).content.decode()
    for visible in (department.lead_south, department.rep_south, department.account_manager_south):
        assert visible.get_full_name() in page
    for hidden in (department.rep_north, department.head, department.analyst):
        assert hidden.get_full_name() not in page


def test_people_page_filters_by_role(client, department):
    client.force_login(department.head)
    page = client.get(reverse("accounts:staff"), {"role": "analyst"}).content.decode()
    assert department.analyst.get_full_name() in page
    assert department.rep_north.get_full_name() not in page


def test_people_page_with_a_bad_filter_shows_an_empty_state_not_an_error(client, department):
    client.force_login(department.head)
    response = client.get(reverse("accounts:staff"), {"team": "not-a-team"})
    assert response.status_code == 200
    assert "Nobody matches these filters." in response.content.decode()


def test_people_page_runs_a_constant_number_of_queries(client, department, django_assert_num_queries):
    client.force_login(department.head)

    def people():
        return client.get(reverse("accounts:staff"))

    def rows(response) -> int:
        return response.content.decode().count("data-row=")

    # the user, team choices, saved views, count, page; 13 active people, then 43
    measured(django_assert_num_queries, 5, people, rows, 13)
    UserFactory.create_batch(30, team=department.north)
    measured(django_assert_num_queries, 5, people, rows, 43)


@pytest.mark.parametrize(
    ("language", "sign_out", "rep_role"),
    [("ru", "Выйти", "Менеджер по продажам"), ("zh-hans", "退出", "销售代表")],
)
def test_language_switcher_translates_the_interface(client, department, language, sign_out, rep_role):
    client.force_login(department.rep_north)
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert sign_out in page
    assert rep_role in page
    assert f'<html lang="{language}">' in page


def test_navigation_marks_the_current_section(client, department):
    from tests.factories import ClientFactory

    client.force_login(department.rep_north)
    people = client.get(reverse("accounts:staff")).content.decode()
    assert '<a href="/accounts/people/" aria-current="page">' in people
    own_client = ClientFactory(owner=department.rep_north)
    detail = client.get(f"/clients/{own_client.pk}/").content.decode()
    assert '<a href="/clients/" aria-current="page">' in detail
    assert '<a href="/accounts/people/" aria-current="page">' not in detail


def test_a_page_under_a_sections_address_marks_that_section(client, department):
    client.force_login(department.head)
    overdue = client.get(reverse("targets:overdue")).content.decode()
    assert '<a href="/targets/receivables/" aria-current="page">' in overdue
    assert '<a href="/targets/plans/" aria-current="page">' not in overdue
    norms = client.get(reverse("targets:norms")).content.decode()
    assert '<a href="/targets/plans/" aria-current="page">' in norms


def test_the_people_filters_are_labelled_in_the_readers_language(client, department):
    from django.utils import translation

    client.force_login(department.head)
    # Generating the API schema (in English) sets the labels of the filters it reads: a label
    # worked out from the model then stayed English on the page in every language.
    with translation.override("en"):
        assert openapi_document()["paths"]["/api/v1/users/"]
    with translation.override("ru"):
        page = client.get("/accounts/people/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    labels = re.findall(r'<label>([^<]*?)\s*<select name="(?:role|team)"', page)
    assert labels == ["Роль", "Команда"], labels
