"""Bulk actions on the deal list (core.bulk + deals/bulk.py): one transaction through the
deals services, a refused row refuses the batch with its reason, more than 500 rows are one
job run by one task, and the query count grows by a constant per row."""

import datetime

import pytest
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import BulkJob, BulkJobStatus
from deals.models import Deal, ForecastCategory
from tests.deals.conftest import make_deal
from tests.factories import ClientFactory, DealFactory, stage

pytestmark = pytest.mark.django_db

URL = "/api/v1/deals/bulk/"


@pytest.fixture
def north_deals(department, stages):
    return [make_deal(department.rep_north, stage="Lead", title=f"N{i}", next_step="") for i in range(3)]


def owners(deals) -> list[str]:
    return list(
        Deal.objects.filter(pk__in=[d.pk for d in deals])
        .order_by("pk")
        .values_list("owner__username", flat=True)
    )


def test_a_lead_reassigns_the_teams_deals_in_one_transaction(department, north_deals, api_as):
    api = api_as(department.lead_north)
    ids = [deal.pk for deal in north_deals]
    with CaptureQueriesContext(connection) as queries:
        response = api.post(
            URL,
            {"ids": ids, "action": "reassign", "params": {"owner": department.rep_north_2.pk}},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "done", "total": 3, "done": 3}
    assert owners(north_deals) == ["rep_north_2", "rep_north_2", "rep_north_2"]
    # one outer transaction: a single BEGIN-level atomic, each row a savepoint inside it
    savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    releases = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("RELEASE SAVEPOINT")]
    assert len(savepoints) == len(releases) >= 3


def test_another_teams_deal_refuses_the_whole_batch_and_changes_nothing(
    department, north_deals, stages, api_as
):
    south = make_deal(department.rep_south, stage="Lead", title="S", next_step="")
    api = api_as(department.lead_north)
    ids = [deal.pk for deal in north_deals] + [south.pk]
    response = api.post(
        URL, {"ids": ids, "action": "reassign", "params": {"owner": department.rep_north_2.pk}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "1 rows were refused; nothing was changed.",
        "refused": {str(south.pk): "No such record, or one you may not see."},
    }
    assert owners(north_deals) == ["rep_north", "rep_north", "rep_north"]
    assert Deal.objects.get(pk=south.pk).owner == department.rep_south


def test_a_visible_row_the_service_refuses_gives_its_reason(department, north_deals, stages, api_as):
    won = make_deal(department.rep_north, stage="Won", title="Won", next_step="")
    api = api_as(department.rep_north)
    ids = [north_deals[0].pk, won.pk]
    response = api.post(
        URL, {"ids": ids, "action": "set_forecast_category", "params": {"category": "commit"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["refused"] == {str(won.pk): "Only an open deal has a forecast category."}
    assert Deal.objects.get(pk=north_deals[0].pk).forecast_category_set is False


def test_forecast_category_and_expected_close_for_the_selection(department, north_deals, api_as):
    api = api_as(department.rep_north)
    ids = [deal.pk for deal in north_deals[:2]]
    response = api.post(
        URL, {"ids": ids, "action": "set_forecast_category", "params": {"category": "commit"}}, format="json"
    )
    assert response.status_code == 200, response.content
    close = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    response = api.post(
        URL, {"ids": ids, "action": "set_expected_close", "params": {"expected_close": close}}, format="json"
    )
    assert response.status_code == 200, response.content
    rows = Deal.objects.filter(pk__in=[d.pk for d in north_deals]).order_by("pk")
    assert [(d.forecast_category, d.expected_close and d.expected_close.isoformat()) for d in rows] == [
        (ForecastCategory.COMMIT, close),
        (ForecastCategory.COMMIT, close),
        (north_deals[2].forecast_category, None),
    ]


def test_a_filter_selects_every_matching_visible_deal(department, north_deals, stages, api_as):
    make_deal(department.rep_south, stage="Lead", title="S", next_step="")
    api = api_as(department.lead_north)
    response = api.post(
        URL,
        {
            "filter": {"owner": department.rep_north.pk},
            "action": "reassign",
            "params": {"owner": department.rep_north_2.pk},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["total"] == 3
    assert owners(north_deals) == ["rep_north_2"] * 3


def test_the_query_count_grows_by_a_constant_per_row(department, stages, api_as):
    client = ClientFactory(owner=department.rep_north)
    deals = DealFactory.create_batch(6, client=client, owner=department.rep_north, stage=stage("Lead"))
    api = api_as(department.lead_north)

    def cost(selection, owner):
        with CaptureQueriesContext(connection) as queries:
            response = api.post(
                URL,
                {"ids": [d.pk for d in selection], "action": "reassign", "params": {"owner": owner.pk}},
                format="json",
            )
        assert response.status_code == 200, response.content
        return len(queries.captured_queries)

    two, four = cost(deals[:2], department.rep_north_2), cost(deals[2:6], department.rep_north_2)
    six = cost(deals, department.rep_north)
    # two more rows cost the same whatever the batch: a constant per row, nothing worse
    assert four - two == six - four


def test_over_500_rows_is_one_job_run_by_one_task(
    department, stages, api_as, django_capture_on_commit_callbacks
):
    client = ClientFactory(owner=department.rep_north)
    Deal.objects.bulk_create(
        [
            Deal(
                title=f"D{i}",
                client=client,
                owner=department.rep_north,
                stage=stage("Lead"),
                amount=0,
                forecast_category="pipeline",
            )
            for i in range(501)
        ]
    )
    ids = list(Deal.objects.filter(client=client).values_list("pk", flat=True))
    ran = []

    def seen(sender=None, **kwargs):
        ran.append(sender.name)

    task_prerun.connect(seen, weak=False)
    try:
        api = api_as(department.lead_north)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                URL,
                {"ids": ids, "action": "set_forecast_category", "params": {"category": "best_case"}},
                format="json",
            )
    finally:
        task_prerun.disconnect(seen)
    assert response.status_code == 202, response.content
    job = BulkJob.objects.get()
    assert response.json()["url"].endswith(f"/api/v1/bulk-jobs/{job.pk}/")
    assert ran == ["core.bulk_job_run"]
    assert (job.status, job.total, job.done, job.errors) == (BulkJobStatus.DONE, 501, 501, {})
    assert Deal.objects.filter(client=client, forecast_category="best_case").count() == 501
    body = api.get(f"/api/v1/bulk-jobs/{job.pk}/").json()
    assert (body["status"], body["total"], body["done"]) == ("done", 501, 501)
    # nobody else sees the job
    assert api_as(department.head).get(f"/api/v1/bulk-jobs/{job.pk}/").status_code == 404


def test_a_refused_row_in_a_job_refuses_the_job(
    department, stages, api_as, django_capture_on_commit_callbacks, settings
):
    settings.BULK_ASYNC_THRESHOLD = 2
    deals = [make_deal(department.rep_north, stage="Lead", next_step="") for _ in range(2)]
    won = make_deal(department.rep_north, stage="Won", next_step="")
    api = api_as(department.rep_north)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            URL,
            {
                "ids": [d.pk for d in deals] + [won.pk],
                "action": "set_forecast_category",
                "params": {"category": "commit"},
            },
            format="json",
        )
    assert response.status_code == 202
    job = BulkJob.objects.get()
    assert (job.status, job.done, job.errors) == (
        BulkJobStatus.REFUSED,
        0,
        {str(won.pk): "Only an open deal has a forecast category."},
    )
    assert Deal.objects.filter(forecast_category_set=True).count() == 0
