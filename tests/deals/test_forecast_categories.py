"""Forecast categories: the stage's default, the owner's choice, a manager's override with
a note (who, when, why, in the history), on the deal page, the deal list filter and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from deals import services
from deals.models import Deal, ForecastCategory, Stage
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory, lost_reason

pytestmark = pytest.mark.django_db


def test_the_migration_gave_the_default_stages_sensible_categories(stages):
    assert dict(Stage.objects.values_list("name", "default_forecast_category")) == {
        "Lead": "pipeline",
        "Qualified": "pipeline",
        "Proposal": "pipeline",
        "Negotiation": "best_case",
        "Contract": "commit",
        "Won": "commit",
        "Lost": "omitted",
    }


def test_a_new_deal_takes_its_stage_default_and_follows_moves_until_the_owner_chooses(department, stages):
    rep = department.rep_north
    deal = services.deal_create(by=rep, client=ClientFactory(owner=rep), title="T", stage=stages["Lead"])
    assert deal.forecast_category == "pipeline"
    deal = services.deal_move(deal=deal, stage=stages["Negotiation"], by=rep)
    assert deal.forecast_category == "best_case"
    deal = services.deal_forecast_set(deal=deal, by=rep, category="commit")
    assert (deal.forecast_category, deal.forecast_category_set) == ("commit", True)
    deal = services.deal_move(deal=deal, stage=stages["Proposal"], by=rep)
    assert deal.forecast_category == "commit"  # the owner's choice stays while the deal is open
    deal = services.deal_move(deal=deal, stage=stages["Lost"], by=rep, lost_reason=lost_reason("Price"))
    deal.refresh_from_db()
    assert (deal.forecast_category, deal.forecast_category_set) == ("omitted", False)


def test_a_lead_overrides_with_a_note_and_it_is_recorded(department, stages):
    d = department
    deal = make_deal(d.rep_north, stage="Proposal")
    with pytest.raises(ValidationError) as caught:
        services.deal_forecast_override(deal=deal, by=d.lead_north, category="commit", note="  ")
    assert "forecast_override_note" in caught.value.message_dict
    deal = services.deal_forecast_override(
        deal=deal, by=d.lead_north, category="commit", note="Budget signed"
    )
    deal.refresh_from_db()
    assert (deal.forecast_category, deal.forecast_override, deal.effective_forecast_category) == (
        "pipeline",
        "commit",
        "commit",
    )
    assert (deal.forecast_override_by, deal.forecast_override_note) == (d.lead_north, "Budget signed")
    assert deal.forecast_override_at is not None
    latest = deal.history.first()
    assert (latest.history_user, latest.forecast_override, latest.history_change_reason) == (
        d.lead_north,
        "commit",
        "Budget signed",
    )
    # Withdrawn (with a note): the owner's category counts again.
    deal = services.deal_forecast_override(deal=deal, by=d.head, category="", note="Owner knows best")
    assert deal.effective_forecast_category == "pipeline"


def test_who_may_not_override_or_set(department, stages):
    d = department
    deal = make_deal(d.rep_north, stage="Proposal")
    with pytest.raises(PermissionDenied):
        services.deal_forecast_override(deal=deal, by=d.rep_north, category="commit", note="Mine")
    with pytest.raises((PermissionDenied, Exception)):
        services.deal_forecast_override(deal=deal, by=d.lead_south, category="commit", note="Not mine")
    with pytest.raises((PermissionDenied, Exception)):
        services.deal_forecast_set(deal=deal, by=d.rep_south, category="commit")
    with pytest.raises(ValidationError):
        services.deal_forecast_set(deal=deal, by=d.rep_north, category="certain")
    won = make_deal(d.rep_north, stage="Won")
    with pytest.raises(ValidationError):
        services.deal_forecast_set(deal=won, by=d.rep_north, category="commit")
    deal.refresh_from_db()
    assert (deal.forecast_category, deal.forecast_override) == ("pipeline", "")


def test_the_api_sets_overrides_and_filters(department, stages, api_as):
    d = department
    deal = make_deal(d.rep_north, stage="Proposal", title="Big one")
    other = make_deal(d.rep_north, stage="Lead", title="Small one")
    rep = api_as(d.rep_north)
    response = rep.post(
        f"/api/v1/deals/{deal.pk}/forecast/", {"forecast_category": "best_case"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["forecast_category"] == "best_case"
    assert (
        rep.post(
            f"/api/v1/deals/{deal.pk}/forecast/", {"forecast_category": "sure"}, format="json"
        ).status_code
        == 400
    )
    assert (
        rep.post(
            f"/api/v1/deals/{deal.pk}/forecast-override/",
            {"forecast_override": "commit", "note": "x"},
            format="json",
        ).status_code
        == 403
    )
    lead = api_as(d.lead_north)
    response = lead.post(
        f"/api/v1/deals/{deal.pk}/forecast-override/",
        {"forecast_override": "commit", "note": "PO received"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["effective_forecast_category"],
        body["forecast_override_note"],
        body["forecast_override_by"],
    ) == (
        "commit",
        "PO received",
        d.lead_north.pk,
    )
    assert (
        lead.post(
            f"/api/v1/deals/{deal.pk}/forecast-override/", {"forecast_override": "commit"}, format="json"
        ).status_code
        == 400
    )
    # Another team's lead does not see the deal at all.
    assert (
        api_as(d.lead_south)
        .post(
            f"/api/v1/deals/{deal.pk}/forecast-override/",
            {"forecast_override": "omitted", "note": "n"},
            format="json",
        )
        .status_code
        == 404
    )
    rep = api_as(d.rep_north)  # api_as re-authenticates one shared client
    titles = [
        row["title"] for row in rep.get("/api/v1/deals/", {"forecast_category": "commit"}).json()["results"]
    ]
    assert titles == ["Big one"]
    titles = [
        row["title"] for row in rep.get("/api/v1/deals/", {"forecast_category": "pipeline"}).json()["results"]
    ]
    assert titles == [other.title]
    assert rep.get("/api/v1/deals/", {"forecast_category": "nope"}).status_code == 400


def test_the_deal_page_shows_and_edits_the_category(client, department, stages):
    d = department
    deal = make_deal(d.rep_north, stage="Negotiation")
    client.force_login(d.rep_north)
    content = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert 'data-testid="forecast-form"' in content and 'data-testid="forecast-override-form"' not in content
    assert "Best case" in content[content.index('data-testid="forecast-category"') :][:200]
    response = client.post(reverse("deals:forecast_set", args=[deal.pk]), {"forecast_category": "commit"})
    assert response.status_code == 302
    assert Deal.objects.get(pk=deal.pk).forecast_category == ForecastCategory.COMMIT
    client.force_login(d.lead_north)
    content = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert 'data-testid="forecast-override-form"' in content
    response = client.post(
        reverse("deals:forecast_override", args=[deal.pk]), {"forecast_override": "omitted"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(
        reverse("deals:forecast_override", args=[deal.pk]),
        {"forecast_override": "omitted", "forecast_override_note": "Slipping to next year"},
    )
    assert response.status_code == 302
    content = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    panel = content[content.index('data-testid="forecast-panel"') :]
    assert "Omitted" in panel and "Slipping to next year" in panel and d.lead_north.full_name in panel
    client.force_login(d.rep_north)
    assert client.post(
        reverse("deals:forecast_override", args=[deal.pk]),
        {"forecast_override": "commit", "forecast_override_note": "x"},
    ).status_code in (400, 403)
    assert Deal.objects.get(pk=deal.pk).forecast_override == "omitted"


def test_the_deal_list_filters_by_category(client, department, stages):
    d = department
    make_deal(d.rep_north, stage="Contract", title="Committed deal")
    make_deal(d.rep_north, stage="Lead", title="Early deal")
    client.force_login(d.rep_north)
    content = client.get(reverse("deals:list"), {"forecast_category": "commit"}).content.decode()
    assert "Committed deal" in content and "Early deal" not in content
