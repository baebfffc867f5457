"""Schema fuzzing: every operation of the published OpenAPI schema (drf-spectacular), called
with schemathesis-generated requests as the head and as a rep, answers without a server error,
with a status the schema documents and a body that matches the schema.

Bounded here (a few derandomized examples per operation, no shrinking) so that it runs with the
suite; `make fuzz` runs the same module with FUZZ_MAX_EXAMPLES=30 (see README, "Tests").

Each example runs in a savepoint that is rolled back, so a generated DELETE or POST never
changes the department the next example sees; about half of the examples have their path ids
replaced by ids of records that exist (the department below creates a few of each), so the
detail operations are reached, not only their 404."""

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from tests.factories import (
    ActivityFactory,
    ClientFactory,
    ContactFactory,
    DealFactory,
    FactFactory,
    InstallmentFactory,
    OverdueReasonFactory,
    PaymentFactory,
    PlanFactory,
    ReviewFactory,
    stage,
)
from tests.openapi import openapi_document

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Ids the department below is sure to have for every kind of record (several of each).
KNOWN_IDS = [1, 2, 3]


@dataclass
class Report:
    operations: int = 0
    examples: int = 0
    # Operations that answered 2xx at least once: a run where every call answered 401 (a
    # broken sign-in) would otherwise pass, 401 being a documented answer.
    succeeded: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    by_check: Counter = field(default_factory=Counter)


def load_schema():
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_dict(openapi_document())
    schema.app = get_wsgi_application()
    return schema


def populate(department):
    """A small department with a few of every record, owned by people of both teams."""
    owners = [department.rep_north, department.rep_north_2, department.rep_south]
    for owner in owners:
        client = ClientFactory(owner=owner)
        ContactFactory(client=client)
        ActivityFactory(client=client)
        deal = DealFactory(client=client)
        won = DealFactory(client=client, stage=stage("Won"), closed_at=timezone.now())
        FactFactory(deal=deal)
        ReviewFactory(deal=deal, reviewer=department.lead_north)
        installment = InstallmentFactory(deal=won)
        PaymentFactory(installment=installment, recorded_by=owner)
        OverdueReasonFactory(installment=installment)
    PlanFactory(created_by=department.head)


class _NoConnectionRecycling:
    """Django closes "obsolete" connections around every WSGI request; inside the test's
    transaction that would close the test database (the test client disconnects it too)."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(schema, headers: dict[str, str]) -> Report:
    report = Report()
    for result in schema.get_all_operations():
        operation = result.ok()
        report.operations += 1
        fuzz_operation(operation, headers, report)
    return report


def fuzz_operation(operation, headers: dict[str, str], report: Report) -> None:
    strategy = st.tuples(operation.as_strategy(), st.booleans(), st.sampled_from(KNOWN_IDS))

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(drawn=strategy)
    def run(drawn):
        case, use_known_id, known_id = drawn
        if use_known_id and case.path_parameters:
            case.path_parameters = dict.fromkeys(case.path_parameters, known_id)
        report.examples += 1
        with transaction.atomic():
            try:
                response = case.call(headers=headers)
                if 200 <= response.status_code < 300:
                    report.succeeded.add(operation.label)
                case.validate_response(response, checks=CHECKS, headers=headers)
            except schemathesis.errors.FailureGroup as group:
                for failure in group.exceptions:
                    report.by_check[type(failure).__name__] += 1
                report.failures.append(f"{operation.label}: {group}")
            except Exception as exc:  # a server exception that escaped the WSGI handler
                report.by_check["exception"] += 1
                report.failures.append(f"{operation.label}: {type(exc).__name__}: {exc}")
            finally:
                transaction.set_rollback(True)

    run()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["head", "rep"])
def test_every_operation_holds_under_fuzzing(department, role, capsys):
    populate(department)
    user = department.head if role == "head" else department.rep_north
    issued = api_token_create(user=user, name="fuzz")
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=timezone.now())
    headers = {"Authorization": f"Token {issued.key}"}
    schema = load_schema()

    with _NoConnectionRecycling():
        report = fuzz(schema, headers)

    summary = (
        f"fuzz as {role}: {report.operations} operations, {report.examples} examples, "
        f"{len(report.failures)} failures {dict(report.by_check)}, "
        f"{len(report.succeeded)} operations answered 2xx at least once"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    # `make fuzz` collects the figures (and any failures in full) here: pytest-xdist workers'
    # output is not shown.
    if os.environ.get("FUZZ_REPORT"):
        with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as out:
            out.write("\n\n".join([summary, *report.failures]) + "\n")
    assert report.operations > 90
    assert report.examples >= report.operations
    # About half of the operations answer 2xx within three examples (on 2026-12-03: 56 as head
    # and 51 as a rep on SQLite, 44 as head on PostgreSQL, where ids fall differently; the rest
    # are writes whose generated bodies are refused with a 400). A broken sign-in gives 0.
    assert len(report.succeeded) >= 30, summary
    assert not report.failures, "\n\n".join([summary, *report.failures[:20]])
