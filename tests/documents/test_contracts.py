"""Contracts and their review (合同稽核): draft → submitted → approved / returned (with a
comment; the next submission is version 2) → signed (the signed scan attached); who
reviews; history; the win check (CONTRACT_REQUIRED_TO_WIN); the API, the pages and the
review panel."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from deals.models import Deal, Stage
from deals.services import deal_move
from documents.models import Contract, ContractStatus
from documents.selectors import contract_list
from documents.services import attachment_add
from tests.documents.conftest import make_contract, upload

pytestmark = pytest.mark.django_db


def create(api, for_deal, **extra):
    return api.post("/api/v1/contracts/", {"deal": for_deal.pk, "number": "C-1", **extra})


def test_a_draft_takes_the_deals_amount_and_keeps_the_special_clauses(department, north_deal, api_as):
    response = create(
        api_as(department.rep_north),
        north_deal,
        term_months=12,
        start_date="2027-01-01",
        end_date="2027-12-31",
        special_clauses="Payment in two parts; delivery to Kazan.",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["amount"], body["number"]) == ("draft", 1, "5000.00", "C-1")
    assert body["special_clauses"] == "Payment in two parts; delivery to Kazan."
    assert (body["client"], body["owner"], body["term_months"]) == (
        north_deal.client_id,
        department.rep_north.pk,
        12,
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"number": "  "}, {"number": ["This field may not be blank."]}),
        ({"amount": "-1"}, {"amount": ["Ensure this value is greater than or equal to 0."]}),
        ({"amount": "1e400"}, {"amount": ["Ensure that there are no more than 14 digits in total."]}),
        ({"amount": "NaN"}, {"amount": ["A valid number is required."]}),
        (
            {"start_date": "2027-02-01", "end_date": "2027-01-01"},
            {"end_date": ["The term cannot end before it starts."]},
        ),
        ({"date": "0001-01-01"}, {"date": ["Enter a date between 1900 and 9998."]}),
        ({"term_months": 0}, {"term_months": ["Ensure this value is greater than or equal to 1."]}),
        ({"deal": 99999999999999999999}, None),
    ],
)
def test_bad_input_is_a_400_and_writes_nothing(department, north_deal, api_as, fields, errors):
    response = create(api_as(department.rep_north), north_deal, **fields)
    assert response.status_code == 400
    if errors is not None:
        assert response.json() == errors
    assert not Contract.objects.exists()


def test_numbers_are_unique(department, north_deal, api_as):
    api = api_as(department.rep_north)
    assert create(api, north_deal).status_code == 201
    response = create(api, north_deal)
    assert response.status_code == 400
    assert response.json() == {"number": ["Another contract has this number."]}


def test_nobody_outside_the_deal_adds_or_sees_its_contract(department, north_deal, south_deal, api_as):
    contract = make_contract(north_deal)
    rep_south = api_as(department.rep_south)
    assert create(rep_south, north_deal).status_code == 400  # the deal "does not exist" for them
    assert rep_south.get(f"/api/v1/contracts/{contract.pk}/").status_code == 404
    assert rep_south.post(f"/api/v1/contracts/{contract.pk}/submit/").status_code == 404
    assert (
        api_as(department.assistant_north).post(f"/api/v1/contracts/{contract.pk}/submit/").status_code == 403
    )
    assert api_as(department.analyst).get(f"/api/v1/contracts/{contract.pk}/").status_code == 200


def test_the_review_cycle_through_the_api(department, north_deal, api_as, settings):
    """Submit, return with a comment, change, resubmit as version 2, approve, attach the
    signed scan, sign; the history tells each step with who did it."""
    rep = api_as(department.rep_north)
    contract_id = create(rep, north_deal).json()["id"]
    assert rep.post(f"/api/v1/contracts/{contract_id}/submit/").json()["status"] == "submitted"
    assert rep.patch(f"/api/v1/contracts/{contract_id}/", {"amount": "1"}).status_code == 400
    lead = api_as(department.lead_north)
    no_comment = lead.post(f"/api/v1/contracts/{contract_id}/return/", {"comment": " "})
    assert no_comment.status_code == 400
    assert no_comment.json() == {"comment": ["This field may not be blank."]}
    returned = lead.post(
        f"/api/v1/contracts/{contract_id}/return/", {"comment": "Penalty clause: 0.1% a day, not 1%."}
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Penalty clause: 0.1% a day, not 1%."
    rep = api_as(department.rep_north)
    assert (
        rep.patch(f"/api/v1/contracts/{contract_id}/", {"special_clauses": "Penalty 0.1% a day."}).status_code
        == 200
    )
    resubmitted = rep.post(f"/api/v1/contracts/{contract_id}/submit/").json()
    assert (resubmitted["status"], resubmitted["version"]) == ("submitted", 2)
    lead = api_as(department.lead_north)
    approved = lead.post(f"/api/v1/contracts/{contract_id}/approve/", {}).json()
    assert (approved["status"], approved["reviewed_by"]) == ("approved", department.lead_north.pk)
    rep = api_as(department.rep_north)
    refused = rep.post(f"/api/v1/contracts/{contract_id}/sign/", {})
    assert refused.status_code == 400 and list(refused.json()) == ["scan"]
    contract = Contract.objects.get(pk=contract_id)
    other = attachment_add(by=department.rep_north, upload=upload("other.pdf"), deal=north_deal)
    wrong = rep.post(f"/api/v1/contracts/{contract_id}/sign/", {"scan": other.pk})
    assert wrong.json() == {"scan": ["Attach the signed scan to this contract first, then choose it."]}
    scan = attachment_add(by=department.rep_north, upload=upload("signed.pdf"), contract=contract)
    signed = rep.post(f"/api/v1/contracts/{contract_id}/sign/", {"scan": scan.pk}).json()
    assert (signed["status"], signed["signed_scan"]) == ("signed", scan.pk)
    steps = [
        (entry.history_change_reason, entry.status, entry.version, entry.history_user.username)
        for entry in contract.history.order_by("history_date", "history_id")
    ]
    assert steps == [
        ("Drafted", "draft", 1, "rep_north"),
        ("Submitted version 1", "submitted", 1, "rep_north"),
        ("Returned", "returned", 1, "lead_north"),
        ("Changed", "returned", 1, "rep_north"),
        ("Submitted version 2", "submitted", 2, "rep_north"),
        ("Approved", "approved", 2, "lead_north"),
        ("Signed", "signed", 2, "rep_north"),
    ]


@pytest.mark.parametrize(
    ("reviewer", "status"),
    [
        ("lead_north", 200),
        ("head", 200),
        ("lead_south", 404),
        ("rep_north", 403),
        ("rep_north_2", 404),
        ("analyst", 403),
    ],
)
def test_who_reviews(department, north_deal, api_as, reviewer, status):
    contract = make_contract(north_deal, status=ContractStatus.SUBMITTED)
    response = api_as(getattr(department, reviewer)).post(f"/api/v1/contracts/{contract.pk}/approve/", {})
    assert response.status_code == status
    contract.refresh_from_db()
    assert contract.status == ("approved" if status == 200 else "submitted")


def test_a_lead_does_not_approve_their_own_contract(department, stages, api_as):
    from tests.deals.conftest import make_deal

    deal = make_deal(department.lead_north, stage="Contract")
    contract = make_contract(deal, status=ContractStatus.SUBMITTED)
    assert (
        api_as(department.lead_north).post(f"/api/v1/contracts/{contract.pk}/approve/", {}).status_code == 403
    )
    assert api_as(department.head).post(f"/api/v1/contracts/{contract.pk}/approve/", {}).status_code == 200


def test_a_draft_is_not_reviewed_and_a_signed_contract_not_changed(department, north_deal, api_as):
    draft = make_contract(north_deal)
    response = api_as(department.lead_north).post(f"/api/v1/contracts/{draft.pk}/approve/", {})
    assert response.status_code == 400
    assert response.json() == {"status": ["Only a submitted contract can be reviewed."]}
    assert api_as(department.rep_north).delete(f"/api/v1/contracts/{draft.pk}/").status_code == 204


def won(deal, by):
    return deal_move(deal=deal, stage=Stage.objects.get(name="Won"), by=by)


def test_winning_without_a_contract_warns_by_default(department, north_deal, client):
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[north_deal.pk]), {"stage": Stage.objects.get(name="Won").pk}, follow=True
    )
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Moved to Won.", "Note: this deal was won without an approved or signed contract."]
    assert Deal.objects.get(pk=north_deal.pk).stage.kind == "won"


def test_block_refuses_the_win_on_the_api_until_a_contract_is_approved(
    department, north_deal, api_as, settings
):
    settings.CONTRACT_REQUIRED_TO_WIN = "block"
    won_stage = Stage.objects.get(name="Won")
    make_contract(north_deal, status=ContractStatus.SUBMITTED)
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{north_deal.pk}/move/", {"stage": won_stage.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "stage": ["The deal has no approved or signed contract: it cannot be won yet."]
    }
    assert Deal.objects.get(pk=north_deal.pk).stage.name == "Contract"
    Contract.objects.update(status=ContractStatus.APPROVED)
    response = api_as(department.rep_north).post(
        f"/api/v1/deals/{north_deal.pk}/move/", {"stage": won_stage.pk}
    )
    assert response.status_code == 200
    assert response.json()["stage_kind"] == "won"


def test_block_shows_the_refusal_on_the_deal_page(department, north_deal, client, settings):
    settings.CONTRACT_REQUIRED_TO_WIN = "block"
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[north_deal.pk]), {"stage": Stage.objects.get(name="Won").pk}
    )
    assert response.status_code == 400
    assert "it cannot be won yet" in response.content.decode()


def test_off_says_nothing(department, north_deal, client, settings):
    settings.CONTRACT_REQUIRED_TO_WIN = "off"
    client.force_login(department.rep_north)
    response = client.post(
        reverse("deals:move", args=[north_deal.pk]), {"stage": Stage.objects.get(name="Won").pk}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Moved to Won."]


def test_the_review_panel_lists_what_waits_for_the_viewer(department, north_deal, south_deal, client):
    make_contract(north_deal, status=ContractStatus.SUBMITTED, number="N-1")
    make_contract(south_deal, status=ContractStatus.SUBMITTED, number="S-1")
    make_contract(north_deal, status=ContractStatus.APPROVED, number="N-2")
    seen = {}
    for name in ("lead_north", "lead_south", "head", "rep_north"):
        client.force_login(getattr(department, name))
        page = client.get(reverse("documents:review_panel")).content.decode()
        seen[name] = sorted(number for number in ("N-1", "S-1", "N-2") if f">{number}<" in page)
    assert seen == {"lead_north": ["N-1"], "lead_south": ["S-1"], "head": ["N-1", "S-1"], "rep_north": []}
    client.force_login(department.lead_north)
    assert 'hx-get="/documents/contracts/awaiting-review/"' in client.get("/").content.decode()
    assert 'hx-get="/documents/contracts/awaiting-review/"' in client.get(reverse("board")).content.decode()
    client.force_login(department.rep_north)
    assert "awaiting-review" not in client.get("/").content.decode()


def test_the_pages_run_the_review(department, north_deal, client, disk):
    client.force_login(department.rep_north)
    form = client.get(reverse("documents:contract_create"), {"deal": north_deal.pk})
    assert form.status_code == 200
    assert form.context["form"].initial["amount"] == Decimal("5000.00")
    response = client.post(
        reverse("documents:contract_create") + f"?deal={north_deal.pk}",
        {"number": "K-7", "date": "2026-12-01", "amount": "4800.00", "special_clauses": "Отсрочка 30 дней"},
    )
    contract = Contract.objects.get(number="K-7")
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:contract_detail", args=[contract.pk]
    )
    client.post(reverse("documents:contract_submit", args=[contract.pk]))
    client.force_login(department.lead_north)
    page = client.get(reverse("documents:contract_detail", args=[contract.pk])).content.decode()
    assert 'data-testid="approve-contract"' in page
    empty = client.post(reverse("documents:contract_return", args=[contract.pk]), {"return-comment": ""})
    assert empty.status_code == 400
    assert "a returned contract needs a comment" in empty.content.decode()
    client.post(reverse("documents:contract_return", args=[contract.pk]), {"return-comment": "Fix the term."})
    contract.refresh_from_db()
    assert (contract.status, contract.review_comment) == ("returned", "Fix the term.")
    client.force_login(department.rep_north)
    page = client.get(reverse("documents:contract_detail", args=[contract.pk])).content.decode()
    assert "Fix the term." in page and "Submit the new version" in page


def test_the_list_filters_and_exports(department, north_deal, south_deal, client):
    make_contract(north_deal, status=ContractStatus.SUBMITTED, number="N-1")
    make_contract(south_deal, status=ContractStatus.APPROVED, number="S-1")
    client.force_login(department.head)
    page = client.get(reverse("documents:contract_list"), {"status": "submitted"})
    assert [row.number for row in page.context["table"].page.object_list.data] == ["N-1"]
    bad = client.get(reverse("documents:contract_list"), {"owner": "x", "date_from": "0000-01-01"})
    assert bad.status_code == 200 and bad.context["total_count"] == 0
    export = client.get(reverse("documents:contract_list"), {"export": "csv", "ordering": "number"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Number", "Deal"]
    assert [row[1] for row in rows[1:]] == ["N-1", "S-1"]


def test_the_list_page_and_api_run_a_constant_number_of_queries(
    department, north_deal, client, api_as, django_assert_num_queries
):
    def measure(rows):
        client.force_login(department.lead_north)
        # the user, the team's people (accounts.visibility.team_member_ids), the list's
        # version, count and sum, owner and team choices, page
        with django_assert_num_queries(7):
            page = client.get(reverse("documents:contract_list"))
        assert page.status_code == 200 and page.context["total_count"] == rows
        with django_assert_num_queries(6):  # nothing changed: the count and sum are kept
            page = client.get(reverse("documents:contract_list"))
        assert page.status_code == 200 and page.context["total_count"] == rows
        api = api_as(department.lead_north)
        with django_assert_num_queries(4):  # one more than before: the team's people
            response = api.get("/api/v1/contracts/")
        assert response.status_code == 200 and response.json()["count"] == rows

    make_contract(north_deal)
    measure(1)
    for _ in range(4):
        make_contract(north_deal, status=ContractStatus.SUBMITTED)
    measure(5)


def test_the_contract_list_sees_what_every_role_sees_through_the_deals(department, north_deal, south_deal):
    """The list names a team's people by id (``visible_to(..., members_listed=True)``, for the
    query planner); every role sees the same contracts and deals as through the teams."""
    from tests.deals.conftest import make_deal

    lead_deal = make_deal(department.lead_north, stage="Contract", title="Lead's deal")
    loner_deal = make_deal(department.rep_without_team, stage="Contract", title="Loner's deal")
    for deal in (north_deal, south_deal, lead_deal, loner_deal):
        make_contract(deal)
    people = [value for value in vars(department).values() if hasattr(value, "role")]
    for person in people:
        for model in (Contract, Deal):
            plain = set(model.objects.visible_to(person).values_list("pk", flat=True))
            listed = set(model.objects.visible_to(person, members_listed=True).values_list("pk", flat=True))
            assert listed == plain, (person.username, model.__name__)
    seen = {contract.deal.title for contract in contract_list(viewer=department.lead_north)}
    assert seen == {"North deal", "Lead's deal"}
    assert {contract.deal.title for contract in contract_list(viewer=department.head)} == {
        "North deal",
        "South deal",
        "Lead's deal",
        "Loner's deal",
    }


# --- The rows the contract list keeps (ListTable.cache_rows): a row read again is the row
# rendered afresh, and a change to the contract, its deal, the deal's client or owner shows.


def contract_rows(client) -> str:
    response = client.get(reverse("documents:contract_list"))
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_kept_contract_row_is_the_row_rendered_afresh_and_changes_show_at_once(
    client, department, north_deal, south_deal, monkeypatch
):
    from accounts.models import User
    from clients.models import Client
    from core import tables as core_tables
    from documents.tables import ContractTable

    make_contract(north_deal, number="C-N-1")
    make_contract(south_deal, number="C-S-1", status=ContractStatus.SUBMITTED)
    core_tables._ROWS.clear()
    client.force_login(department.head)
    first = contract_rows(client)
    assert len(core_tables._ROWS) == 2
    kept = contract_rows(client)
    monkeypatch.setattr(ContractTable, "cache_rows", False)
    afresh = contract_rows(client)
    assert kept == first == afresh and afresh.count("<tr ") == 2
    monkeypatch.setattr(ContractTable, "cache_rows", True)

    # three steps away: the contract's deal's owner, and its client
    User.objects.filter(pk=department.rep_north.pk).update(first_name="Renamed", last_name="Owner")
    Client.objects.filter(pk=south_deal.client_id).update(name="Renamed client")
    Deal.objects.filter(pk=north_deal.pk).update(title="Renamed deal")
    after = contract_rows(client)
    assert "Renamed Owner" in after and "Renamed Owner" not in first
    assert "Renamed client" in after and "Renamed deal" in after
    assert len(core_tables._ROWS) == 4  # both rows written anew


def test_the_lists_count_and_sum_follow_every_change_they_read(department, north_deal, client):
    """Kept while nothing they read changes: a contract added, changed or deleted, and a
    deal handed to someone outside the team show at once."""
    from core.money import money

    client.force_login(department.lead_north)

    def figures():
        page = client.get(reverse("documents:contract_list"))
        return page.context["total_count"], page.context["total_amount"]

    first = make_contract(north_deal)
    assert figures() == (1, money(first.amount))
    second = make_contract(north_deal)
    assert figures() == (2, money(first.amount + second.amount))
    Contract.objects.filter(pk=second.pk).update(amount=Decimal("1.00"))
    Contract.objects.get(pk=second.pk).save()  # as the services save it: updated_at moves
    assert figures() == (2, money(first.amount + Decimal("1.00")))
    Contract.objects.filter(pk=first.pk).delete()  # not the newest change: the count sees it
    assert figures() == (1, money(Decimal("1.00")))
    Deal.objects.filter(pk=north_deal.pk).update(owner=department.rep_south)
    Deal.objects.get(pk=north_deal.pk).save()
    assert figures() == (0, money(None))


def test_the_lists_count_and_sum_see_a_team_deleted(department, north_deal, client):
    """A team deleted (in the admin) leaves its people's rows as they were: the lead no
    longer sees their contracts, and the count and sum say so at once."""
    make_contract(north_deal)
    department.south.save()  # another team is the newest change: the deletion leaves it
    client.force_login(department.lead_north)
    assert client.get(reverse("documents:contract_list")).context["total_count"] == 1
    department.north.delete()
    assert client.get(reverse("documents:contract_list")).context["total_count"] == 0
