"""Every response carries a request id, and every log line of the request carries the same."""

import logging
import re

import pytest

from core.request_id import RequestIdFilter, current_request_id

pytestmark = pytest.mark.django_db


class Capture(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def captured():
    handler = Capture()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_a_request_without_an_id_gets_a_new_one(client):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_the_id_a_proxy_sent_is_kept(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.2_x")
    assert response["X-Request-ID"] == "lb-7f3a.2_x"


@pytest.mark.parametrize("sent", ["a b", "x" * 65, "id\r\nforged: line", "", "ид"])
def test_an_id_that_is_not_a_plain_token_is_replaced(client, sent):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=sent)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_log_line_of_a_request_carries_its_id(client, captured):
    response = client.get("/clients/999999999/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code in (302, 404)
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-43")
    assert [r.request_id for r in captured.records if r.getMessage().startswith("Not Found")] == ["req-43"]
    assert current_request_id() == "-"


def test_the_log_format_has_time_level_logger_and_request_id(settings):
    formatter = settings.LOGGING["formatters"]["default"]["format"]
    assert formatter == "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    assert settings.MIDDLEWARE[:2] == [
        "core.request_id.RequestIdMiddleware",
        "core.health.HealthCheckMiddleware",
    ]
