"""Warnings worth reading: the head's thresholds and severities decide which deals are
flagged, each deal counts once under its most severe warning, and the board puts first the
people whose flagged deals weigh most (severity × weighted amount)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deals.models import Deal, Severity, Stage, WarningSettings
from deals.selectors import board, board_open_deals
from deals.services import warning_settings_update
from tests.deals.conftest import log_activity, make_deal, review

pytestmark = pytest.mark.django_db


def rows(viewer):
    return {row.person.username: row for row in board(viewer=viewer).rows}


def settings(head, **values):
    base = {
        "no_activity_days": 14,
        "review_cadence_days": 7,
        "no_activity_severity": Severity.HIGH,
        "past_close_severity": Severity.HIGH,
        "no_open_task_severity": Severity.MEDIUM,
        "not_reviewed_severity": Severity.LOW,
        "stale_in_stage_severity": Severity.MEDIUM,
        "attention_severity": Severity.MEDIUM,
    }
    return warning_settings_update(by=head, values=base | values)


@pytest.fixture
def flagged(department, stages):
    """rep_north's open deals, all reviewed and active unless said otherwise."""
    rep, lead = department.rep_north, department.lead_north
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    deals = {
        # past close AND no next step: counts once, as past close (high)
        "both": make_deal(rep, expected_close=yesterday, next_step="", age_days=30),
        # no next step only (medium)
        "step": make_deal(rep, next_step="", age_days=30),
        # not reviewed only (low by default)
        "unreviewed": make_deal(rep, age_days=30),
        # silent for 20 days (high under 14 days, nothing under 30)
        "silent": make_deal(rep, age_days=40),
        "fine": make_deal(rep, age_days=30),
    }
    for name, deal in deals.items():
        if name != "silent":
            log_activity(deal, days_ago=1)
        if name != "unreviewed":
            review(deal, lead, days_ago=1)
    log_activity(deals["silent"], days_ago=20)
    return deals


def test_each_deal_counts_once_under_its_most_severe_warning(department, flagged):
    row = rows(department.lead_north)["rep_north"]
    assert row.warnings == {
        "no_activity": 1,
        "past_close": 1,
        "no_open_task": 1,
        "stale_in_stage": 0,
        "not_reviewed": 1,
    }
    assert sum(row.warnings.values()) == 4
    # low (not reviewed) shows but does not flag
    assert row.attention == 3
    # severity × weighted amount: 3 × 100 (both) + 2 × 100 (step) + 3 × 100 (silent)
    assert row.attention_score == Decimal("800.00")


def test_the_heads_thresholds_and_severities_decide(department, flagged):
    settings(
        department.head,
        no_activity_days=30,
        not_reviewed_severity=Severity.HIGH,
        no_open_task_severity=Severity.OFF,
    )
    row = rows(department.lead_north)["rep_north"]
    # silent for 20 days is no longer silent; no next step is off, "both" is past close
    assert row.warnings == {"past_close": 1, "not_reviewed": 1, "stale_in_stage": 0, "no_activity": 0}
    assert row.attention == 2
    assert row.attention_score == Decimal("600.00")
    # back to the defaults, but only high warnings flag: past close and silent (3 × 100 each)
    settings(department.head, attention_severity=Severity.HIGH)
    row = rows(department.lead_north)["rep_north"]
    assert (row.attention, row.attention_score) == (2, Decimal("600.00"))
    assert row.warnings["no_open_task"] == 1  # on at medium: shows, does not flag
    assert sum(row.warnings.values()) == 4


def test_a_deal_too_long_in_its_stage_is_flagged_by_the_stages_limit(department, stages):
    rep = department.rep_north
    old = make_deal(rep, stage="Proposal", title="Old proposal")
    recent = make_deal(rep, stage="Proposal", title="Recent proposal")
    lead_stage = make_deal(rep, stage="Lead", title="Old lead")
    now = timezone.now()
    Deal.objects.filter(pk=old.pk).update(stage_changed_at=now - datetime.timedelta(days=11))
    Deal.objects.filter(pk=recent.pk).update(stage_changed_at=now - datetime.timedelta(days=9))
    Deal.objects.filter(pk=lead_stage.pk).update(stage_changed_at=now - datetime.timedelta(days=90))
    assert rows(department.lead_north)["rep_north"].warnings["stale_in_stage"] == 0
    warning_settings_update(
        by=department.head,
        values={"stale_in_stage_severity": Severity.HIGH},
        stage_days={stages["Proposal"].pk: 10},
    )
    assert Stage.objects.get(name="Proposal").max_days_in_stage == 10
    row = rows(department.lead_north)["rep_north"]
    assert (row.warnings["stale_in_stage"], row.attention) == (1, 1)
    listed = list(board_open_deals(viewer=department.lead_north, person=rep))
    assert listed[0] == old
    assert [deal.warn_stale_in_stage for deal in listed] == [True, False, False]


def test_the_board_puts_the_heaviest_flagged_deals_first(department, stages):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # rep_north: one high warning on 100 weighted → 300
    make_deal(department.rep_north, amount="1000.00", expected_close=yesterday, facts=1)
    # rep_north_2: two medium warnings on 100 weighted each → 400
    for _ in range(2):
        make_deal(department.rep_north_2, amount="1000.00", next_step="", facts=1)
    # sdr_north: three deals, no warning but no facts either → 0
    for _ in range(3):
        make_deal(department.sdr_north, facts=0)
    ordered = [row for row in board(viewer=department.lead_north).rows if row.attention]
    assert [(row.person.username, row.attention_score) for row in ordered] == [
        ("rep_north_2", Decimal("400.00")),
        ("rep_north", Decimal("300.00")),
    ]


def test_a_persons_deals_come_by_severity_times_weighted_amount(department, stages):
    rep = department.rep_north
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    big_fine = make_deal(rep, amount="90000.00", title="Big fine")
    small_high = make_deal(rep, amount="1000.00", expected_close=yesterday, title="Small high")  # 300
    middle_medium = make_deal(rep, amount="2000.00", next_step="", title="Middle medium")  # 400
    listed = list(board_open_deals(viewer=department.lead_north, person=rep))
    assert listed == [middle_medium, small_high, big_fine]


# --- the settings page ------------------------------------------------------------------


def form_data(**values) -> dict:
    data = {
        "no_activity_days": "21",
        "review_cadence_days": "10",
        "past_close_severity": "3",
        "no_activity_severity": "2",
        "no_open_task_severity": "2",
        "stale_in_stage_severity": "2",
        "not_reviewed_severity": "0",
        "attention_severity": "2",
    }
    return data | values


def test_the_head_sets_the_thresholds_on_the_settings_page(client, department, stages):
    client.force_login(department.head)
    url = reverse("deals:warning_settings")
    page = client.get(url).content.decode()
    assert 'name="no_activity_days" value="14"' in page
    assert "Days allowed in “Proposal”" in page
    assert reverse("targets:norms") in page
    proposal = stages["Proposal"]
    response = client.post(url, form_data(**{f"stage_{proposal.pk}_days": "45"}))
    assert response.status_code == 302
    saved = WarningSettings.objects.get()
    assert (saved.no_activity_days, saved.review_cadence_days, saved.not_reviewed_severity) == (21, 10, 0)
    assert saved.updated_by == department.head
    assert Stage.objects.get(pk=proposal.pk).max_days_in_stage == 45
    board_page = client.get(reverse("board")).content.decode()
    assert 'data-testid="warning-settings-link"' in board_page


@pytest.mark.parametrize(
    "bad",
    [
        {"no_activity_days": "0"},
        {"no_activity_days": "99999999999999999999"},
        {"review_cadence_days": "-3"},
        {"review_cadence_days": "abc"},
        {"past_close_severity": "9"},
        {"attention_severity": "0"},
        {"no_activity_days": ""},
    ],
)
def test_bad_values_are_form_errors_and_change_nothing(client, department, stages, bad):
    client.force_login(department.head)
    response = client.post(reverse("deals:warning_settings"), form_data(**bad))
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not WarningSettings.objects.exists()


def test_a_bad_stage_limit_changes_nothing(client, department, stages):
    client.force_login(department.head)
    proposal, lead = stages["Proposal"], stages["Lead"]
    response = client.post(
        reverse("deals:warning_settings"),
        form_data(**{f"stage_{proposal.pk}_days": "5000", f"stage_{lead.pk}_days": "3"}),
    )
    assert response.status_code == 400
    assert not WarningSettings.objects.exists()
    assert set(Stage.objects.values_list("max_days_in_stage", flat=True)) == {None}


def test_a_won_stage_takes_no_limit(department, stages):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        warning_settings_update(by=department.head, values={}, stage_days={stages["Won"].pk: 5})
    assert Stage.objects.get(name="Won").max_days_in_stage is None


@pytest.mark.parametrize("role", ["lead_north", "rep_north", "analyst", "assistant_north"])
def test_only_the_head_saves_others_read(client, department, stages, role):
    client.force_login(getattr(department, role))
    url = reverse("deals:warning_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert re.search(r'name="no_activity_days"[^>]*disabled', page.content.decode())
    assert "Only the head changes these settings." in page.content.decode()
    assert client.post(url, form_data()).status_code == 403
    assert not WarningSettings.objects.exists()
