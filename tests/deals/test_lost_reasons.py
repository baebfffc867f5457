"""Lost reasons as the head's list: the seeded rows and their translations, the migration of
the old free-text reasons, and /api/v1/lost-reasons/ (everyone reads, the head writes)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from deals.models import Deal, LostReason, StageChange
from tests.deals.conftest import make_deal
from tests.factories import lost_reason
from tests.migration_support import run_data_migration

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("deals.migrations.0011_lost_reasons")
SEEDED = ["Price", "Competitor", "No budget", "No decision / timing", "Product fit", "Lost contact", "Other"]


def test_the_seeded_reasons_in_their_order_and_languages():
    assert list(LostReason.objects.filter(is_active=True).values_list("name", flat=True)) == SEEDED
    names = {}
    for language in ("ru", "zh-hans"):
        with translation.override(language):
            names[language] = [reason.display_name for reason in LostReason.objects.all()]
    assert names == {
        "ru": [
            "Цена",
            "Конкурент",
            "Нет бюджета",
            "Нет решения / сроки",
            "Не подошёл продукт",
            "Пропал контакт",
            "Другое",
        ],
        "zh-hans": ["价格", "竞争对手", "没有预算", "未决策 / 时机", "产品不匹配", "失去联系", "其他"],
    }
    # The migration recognises each reason by its translated names too.
    assert {
        english: [english.casefold(), ru.casefold(), zh]
        for english, ru, zh in zip(SEEDED, names["ru"], names["zh-hans"], strict=True)
    } == MIGRATION.NAMES


def test_a_reason_the_head_adds_shows_as_written():
    with translation.override("ru"):
        assert lost_reason("Merger froze purchases").display_name == "Merger froze purchases"


@pytest.mark.parametrize(
    ("text", "reason", "comment"),
    [
        ("Price", "Price", ""),
        ("  price. ", "Price", ""),
        ("Цена", "Price", ""),
        ("没有预算", "No budget", ""),
        ("Budget frozen", "No budget", "Budget frozen"),
        ("Chose a competitor on price", "Price", "Chose a competitor on price"),
        ("Went with a competitor", "Competitor", "Went with a competitor"),
        ("Stopped answering after the proposal", "Lost contact", "Stopped answering after the proposal"),
        ("The CEO's nephew sells the same thing", "Other", "The CEO's nephew sells the same thing"),
    ],
)
def test_the_migration_maps_an_old_text_and_keeps_it(department, stages, text, reason, comment):
    deal = make_deal(department.rep_north, stage="Lost", lost_comment=text)
    change = StageChange.objects.create(
        deal=deal,
        from_stage=stages["Proposal"],
        to_stage=stages["Lost"],
        changed_by=department.rep_north,
        changed_at=deal.created_at,
        lost_comment=text,
    )
    untouched = make_deal(department.rep_north, stage="Lost", lost_reason="Competitor", lost_comment="Acme")
    won = make_deal(department.rep_north, stage="Won")

    run_data_migration(MIGRATION.__name__, "move_free_text_reasons", apps)

    deal.refresh_from_db()
    change.refresh_from_db()
    assert (deal.lost_reason.name, deal.lost_comment) == (reason, comment)
    assert (change.lost_reason.name, change.lost_comment) == (reason, comment)
    # The history rows of the deal (written when it was created) are moved the same way.
    assert set(deal.history.values_list("lost_reason__name", "lost_comment")) == {(reason, comment)}
    assert Deal.objects.filter(pk=untouched.pk).values_list("lost_reason__name", "lost_comment").get() == (
        "Competitor",
        "Acme",
    )
    assert Deal.objects.filter(pk=won.pk).values_list("lost_reason", "lost_comment").get() == (None, "")


def test_the_migration_moves_many_rows_with_one_update_per_distinct_text(
    department, stages, django_assert_max_num_queries
):
    for number in range(12):
        make_deal(
            department.rep_north, stage="Lost", lost_comment=["Price", "Budget frozen", "odd"][number % 3]
        )
    # per model: the texts, then one UPDATE per text; plus the seeding's reads
    with django_assert_max_num_queries(7 + 1 + 3 * (1 + 3) + 2):
        run_data_migration(MIGRATION.__name__, "move_free_text_reasons", apps)
    assert sorted(
        Deal.objects.filter(stage__name="Lost")
        .order_by()
        .values_list("lost_reason__name", "lost_comment")
        .distinct()
    ) == [("No budget", "Budget frozen"), ("Other", "odd"), ("Price", "")]


def test_the_api_lists_the_reasons_to_everyone(department, api_as):
    response = api_as(department.rep_north).get("/api/v1/lost-reasons/", {"is_active": "true"})
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == SEEDED


def test_the_head_adds_renames_and_deactivates_a_reason(department, api_as):
    head = api_as(department.head)
    response = head.post("/api/v1/lost-reasons/", {"name": " Merger ", "order": 65}, format="json")
    assert response.status_code == 201
    reason = LostReason.objects.get(pk=response.json()["id"])
    assert (reason.name, reason.order, reason.is_active) == ("Merger", 65, True)
    response = head.patch(f"/api/v1/lost-reasons/{reason.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200
    reason.refresh_from_db()
    assert reason.is_active is False
    assert head.delete(f"/api/v1/lost-reasons/{reason.pk}/").status_code == 405
    response = head.post("/api/v1/lost-reasons/", {"name": "price"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["A reason with this name exists already."]}


@pytest.mark.parametrize("who", ["rep_north", "lead_north", "analyst"])
def test_only_the_head_changes_the_list(department, api_as, who):
    client = api_as(getattr(department, who))
    price = LostReason.objects.get(name="Price")
    assert client.post("/api/v1/lost-reasons/", {"name": "Merger"}, format="json").status_code == 403
    assert (
        client.patch(f"/api/v1/lost-reasons/{price.pk}/", {"is_active": False}, format="json").status_code
        == 403
    )
    assert list(LostReason.objects.values_list("name", flat=True)) == SEEDED
    assert LostReason.objects.get(pk=price.pk).is_active is True


def test_the_reasons_list_runs_a_constant_number_of_queries(department, api_as, django_assert_num_queries):
    client = api_as(department.rep_north)
    with django_assert_num_queries(3):  # session-less token: the token, the count, the page
        assert len(client.get("/api/v1/lost-reasons/").json()["results"]) == 7
    for number in range(5):
        lost_reason(f"Reason {number}")
    with django_assert_num_queries(3):  # session-less token: the token, the count, the page
        assert len(client.get("/api/v1/lost-reasons/").json()["results"]) == 12


def test_the_head_keeps_the_list_on_its_page(client, department):
    client.force_login(department.head)
    page = client.get(reverse("deals:lost_reasons"))
    assert page.status_code == 200
    assert 'data-testid="lost-reason-add"' in page.content.decode()
    response = client.post(reverse("deals:lost_reasons"), {"new-name": "Merger", "new-order": "65"})
    assert response.status_code == 302
    merger = LostReason.objects.get(name="Merger")
    response = client.post(
        reverse("deals:lost_reasons"),
        {
            "reason": merger.pk,
            f"reason-{merger.pk}-name": "Merger or takeover",
            f"reason-{merger.pk}-order": "5",
        },
    )
    assert response.status_code == 302
    merger.refresh_from_db()
    assert (merger.name, merger.order, merger.is_active) == ("Merger or takeover", 5, False)


def test_a_taken_name_on_the_page_is_a_400_and_adds_nothing(client, department):
    client.force_login(department.head)
    response = client.post(reverse("deals:lost_reasons"), {"new-name": " PRICE ", "new-order": "1"})
    assert response.status_code == 400
    assert "A reason with this name exists already." in response.content.decode()
    assert list(LostReason.objects.values_list("name", flat=True)) == SEEDED


def test_a_rep_reads_the_list_but_may_not_change_it(client, department):
    client.force_login(department.rep_north)
    page = client.get(reverse("deals:lost_reasons"))
    assert page.status_code == 200
    assert "Only the head changes this list." in page.content.decode()
    response = client.post(reverse("deals:lost_reasons"), {"new-name": "Merger", "new-order": "1"})
    assert response.status_code == 403
    assert list(LostReason.objects.values_list("name", flat=True)) == SEEDED
