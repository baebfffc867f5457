"""The lead's and the head's home list the discounts awaiting their approval (lines above
the product's limit, on open deals they may decide for), with an approve button that goes
through deal_line_decide and comes back to the home."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deals import services
from deals.models import ApprovalStatus, DealLine
from deals.selectors.commerce import APPROVALS_PANEL_SIZE, approvals_panel
from tests.deals.conftest import make_deal
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def pending_line(owner, *, discount="25", title="Big order", product=None, deal=None):
    deal = deal or make_deal(owner, title=title)
    product = product or ProductFactory(name="Server", list_price=Decimal("1000.00"))
    return services.deal_line_add(
        by=owner, deal=deal, product=product, quantity=Decimal("2"), discount_percent=Decimal(discount)
    )


@pytest.fixture
def waiting(department, stages):
    d = department
    north = pending_line(d.rep_north, title="North order")
    lead_own = pending_line(d.lead_north, title="Lead's own order")
    south = pending_line(d.rep_south, title="South order")
    within = pending_line(d.rep_north_2, discount="5", title="Within limit")
    closed = pending_line(d.rep_north_2, title="Closed order")
    # Still pending, but its deal was lost: nothing to decide any more.
    closed.deal.stage = stages["Lost"]
    closed.deal.save(update_fields=["stage"])
    return {"north": north, "lead_own": lead_own, "south": south, "within": within, "closed": closed}


def titles(panel) -> list[str]:
    return [line.deal.title for line in panel.lines]


def test_each_manager_sees_exactly_the_discounts_they_decide(department, waiting):
    d = department
    assert waiting["north"].approval == ApprovalStatus.PENDING
    assert waiting["within"].approval == ApprovalStatus.NOT_NEEDED
    # The lead wrote their own line: their own approval was recorded at once.
    assert waiting["lead_own"].approval == ApprovalStatus.APPROVED
    north = approvals_panel(viewer=d.lead_north)
    assert (titles(north), north.count) == (["North order"], 1)
    assert north.lines[0].discount_limit == Decimal("10.00")
    south = approvals_panel(viewer=d.lead_south)
    assert (titles(south), south.count) == (["South order"], 1)
    head = approvals_panel(viewer=d.head)
    assert (titles(head), head.count) == (["North order", "South order"], 2)
    assert approvals_panel(viewer=d.lead_without_team).count == 0


def test_the_leads_home_lists_them_and_approves_in_one_click(client, department, waiting):
    client.force_login(department.lead_north)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="discounts-awaiting-approval" data-count="1"' in page
    assert page.count('data-testid="discount-awaiting"') == 1
    assert "North order" in page and "South order" not in page
    assert "discount 25% (limit 10%)" in page
    approve = reverse("deals:line_approve", args=[waiting["north"].pk])
    assert f'action="{approve}"' in page
    response = client.post(approve, {"next": reverse("home")}, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    after = response.content.decode()
    assert "Discount approved." in after
    assert 'data-count="0"' in after and "No discount awaits your approval." in after
    line = DealLine.objects.get(pk=waiting["north"].pk)
    assert (line.approval, line.approved_by) == (ApprovalStatus.APPROVED, department.lead_north)


def test_nobody_else_approves_and_an_outside_next_is_ignored(client, department, waiting):
    line = waiting["north"]
    approve = reverse("deals:line_approve", args=[line.pk])
    client.force_login(department.lead_south)
    assert client.post(approve, {"next": reverse("home")}).status_code == 404
    client.force_login(department.rep_north)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="discounts-awaiting-approval"' not in page
    assert client.post(approve, {"next": reverse("home")}).status_code == 403
    client.force_login(department.head)
    response = client.post(approve, {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:detail", args=[line.deal_id])
    again = client.post(approve, {"next": reverse("home")}, follow=True).content.decode()
    assert "This line is not awaiting a decision." in again


def test_an_empty_list_says_so(client, department, stages):
    client.force_login(department.head)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="discounts-awaiting-approval" data-count="0"' in page
    assert "No discount awaits your approval." in page


def test_the_home_shows_the_oldest_ten_and_the_count(client, department, stages):
    deal = make_deal(department.rep_north, title="Many lines")
    for _ in range(APPROVALS_PANEL_SIZE + 2):
        pending_line(department.rep_north, deal=deal)
    client.force_login(department.lead_north)
    page = client.get(reverse("home")).content.decode()
    assert f'data-count="{APPROVALS_PANEL_SIZE + 2}"' in page
    assert page.count('data-testid="discount-awaiting"') == APPROVALS_PANEL_SIZE
    assert "The oldest 10 are shown." in page


# --- deciding on the discount one looked at ------------------------------------------------


def raised_meanwhile(department, to="60"):
    """A line awaiting approval at 25 %, which its owner raised to ``to`` % after the lead
    looked at it."""
    line = pending_line(department.rep_north, title="Raised order")
    services.deal_line_update(by=department.rep_north, line=line, data={"discount_percent": Decimal(to)})
    return DealLine.objects.get(pk=line.pk)


def test_an_approval_of_the_discount_seen_is_refused_when_it_changed_meanwhile(department, stages):
    from core.errors import Conflict

    line = raised_meanwhile(department)
    with pytest.raises(Conflict) as refused:
        services.deal_line_decide(
            by=department.lead_north, line=line, approve=True, discount_percent=Decimal("25")
        )
    assert str(refused.value) == "The discount changed to 60% while you decided; look at the line again."
    assert DealLine.objects.filter(pk=line.pk).values_list("approval", "discount_percent").get() == (
        ApprovalStatus.PENDING,
        Decimal("60.00"),
    )
    services.deal_line_decide(
        by=department.lead_north, line=line, approve=True, discount_percent=Decimal("60")
    )
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.APPROVED


def test_the_api_answers_409_for_a_decision_on_another_discount(department, stages, api_as):
    line = raised_meanwhile(department)
    lead = api_as(department.lead_north)
    url = f"/api/v1/deal-lines/{line.pk}/approve/"
    stale = lead.post(url, {"discount_percent": "25.00"}, format="json")
    assert stale.status_code == 409
    assert lead.post(url, {"discount_percent": "not a number"}, format="json").status_code == 400
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.PENDING
    fresh = lead.post(url, {"discount_percent": "60.00"}, format="json")
    assert (fresh.status_code, fresh.json()["approval"]) == (200, "approved")


def test_the_panel_shows_the_changed_line_to_decide_again(client, department, stages):
    line = raised_meanwhile(department)
    client.force_login(department.lead_north)
    response = client.post(
        reverse("deals:line_approve", args=[line.pk]), {"discount_percent": "25.00"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The discount changed to 60% while you decided; look at the line again." in page
    assert 'name="discount_percent" value="60.00"' in page  # the buttons now carry what is shown
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.PENDING


@pytest.mark.parametrize("garbage", ["abc", "1e400", "9" * 40, "NaN", "-0.001"])
def test_a_garbled_discount_on_the_buttons_is_a_400_and_decides_nothing(client, department, stages, garbage):
    line = pending_line(department.rep_north, title="Garbled order")
    client.force_login(department.lead_north)
    response = client.post(
        reverse("deals:line_approve", args=[line.pk]), {"discount_percent": garbage}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert DealLine.objects.get(pk=line.pk).approval == ApprovalStatus.PENDING
