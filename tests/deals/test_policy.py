"""The warning policy's query is compiled once per database and run on every request: what it
reads is what the ORM query reads, and a change of the settings or a stage shows at once."""

import pytest

from deals.models import Stage, StageKind, WarningSettings
from deals.selectors.policy import WarningPolicy, _policy_rows, policy_query

pytestmark = pytest.mark.django_db


def test_the_compiled_query_reads_what_the_orm_reads(django_assert_num_queries):
    WarningSettings.objects.create(pk=WarningSettings.SINGLETON_PK, no_activity_days=9, past_close_severity=0)
    with django_assert_num_queries(1):
        rows = _policy_rows()
    assert rows == list(policy_query())
    assert {row["pk"] for row in rows} == set(Stage.objects.values_list("pk", flat=True))
    assert {row["setting_no_activity_days"] for row in rows} == {9}


def test_changes_show_on_the_next_load():
    stage = Stage.objects.filter(kind=StageKind.OPEN).order_by("order").first()
    before = WarningPolicy.load()
    assert stage.pk not in before.stage_days
    assert before.no_activity_days == WarningSettings._meta.get_field("no_activity_days").get_default()

    Stage.objects.filter(pk=stage.pk).update(max_days_in_stage=12)
    WarningSettings.objects.create(
        pk=WarningSettings.SINGLETON_PK, no_activity_days=5, review_cadence_days=21
    )
    after = WarningPolicy.load()
    assert after.stage_days[stage.pk] == 12
    assert after.no_activity_days == 5
    assert after.review_cadence_days == 21
    assert after.stage_kinds == dict(Stage.objects.values_list("pk", "kind"))
