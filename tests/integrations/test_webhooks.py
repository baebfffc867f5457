"""Webhooks: the head registers an endpoint per event; each event reaches a receiver on the
loopback once, signed, as the API's JSON; a failure is retried; repeated failures disable it."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from deals.services import deal_create, deal_move
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.services import webhook_create, webhook_deliver
from targets.services import payment_record
from tests.factories import ClientFactory, DealFactory, InstallmentFactory, days_ago, money, stage
from tests.migration_support import restore_default_stages

# Deliveries leave after the commit, as in production: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def default_stages(transactional_db):
    restore_default_stages()


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers the next queued status
    (200 once the queue is empty)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                if code == 302:
                    self.send_header("Location", "http://127.0.0.1:9/")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        # serve_forever checks for shutdown every poll_interval: its default 0.5 s was half a
        # second of every test's teardown
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def events(self) -> list[str]:
        return [request["headers"]["X-Salesdept-Event"] for request in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def verified(endpoint: WebhookEndpoint, request: dict) -> dict:
    """The body, after checking the signature as a receiver would."""
    parts = dict(item.split("=", 1) for item in request["headers"]["X-Salesdept-Signature"].split(","))
    expected = hmac.new(
        endpoint.secret.encode(), parts["t"].encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(request["body"])


def test_each_event_arrives_once_signed_with_the_apis_json(api_as, department, receiver):
    endpoint = webhook_create(
        by=department.head, url=receiver.url, events=["deal.created", "deal.moved", "deal.won"]
    )
    rep = department.rep_north
    client = ClientFactory(owner=rep)
    deal = deal_create(by=rep, client=client, title="Webhook deal", amount="1500.00")
    deal_move(deal=deal, stage=stage("Qualified"), by=rep)
    deal_move(deal=deal, stage=stage("Won"), by=rep)
    deal_create(by=rep, client=client, title="Second", amount="10.00")

    assert receiver.events() == ["deal.created", "deal.moved", "deal.won", "deal.created"]
    bodies = [verified(endpoint, request) for request in receiver.requests]
    assert [body["data"]["title"] for body in bodies] == ["Webhook deal"] * 3 + ["Second"]
    as_api = api_as(department.head).get(f"/api/v1/deals/{deal.pk}/").json()
    assert bodies[2]["data"] == as_api
    assert len({request["headers"]["X-Salesdept-Delivery"] for request in receiver.requests}) == 4
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 4


def test_only_the_chosen_events_and_only_active_endpoints(department, receiver):
    webhook_create(by=department.head, url=receiver.url, events=["deal.won"])
    off = webhook_create(by=department.head, url=receiver.url, events=["deal.created"])
    WebhookEndpoint.objects.filter(pk=off.pk).update(is_active=False)
    deal_create(by=department.rep_north, client=ClientFactory(owner=department.rep_north), title="x")
    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0


def test_a_rolled_back_write_announces_nothing(department, receiver):
    webhook_create(by=department.head, url=receiver.url, events=["deal.created"])
    with pytest.raises(RuntimeError), transaction.atomic():
        deal_create(by=department.rep_north, client=ClientFactory(owner=department.rep_north), title="x")
        raise RuntimeError("rolled back")
    assert receiver.requests == []


def test_a_500_is_retried_and_the_retry_succeeds(department, receiver):
    webhook_create(by=department.head, url=receiver.url, events=["deal.created"])
    receiver.answers = [500]
    deal_create(by=department.rep_north, client=ClientFactory(owner=department.rep_north), title="x")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (DeliveryStatus.SUCCEEDED, 2, 200)
    first, second = receiver.requests
    assert first["headers"]["X-Salesdept-Delivery"] == second["headers"]["X-Salesdept-Delivery"]
    # Sent: a second run of the same delivery sends nothing.
    assert webhook_deliver(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.requests) == 2


def test_repeated_failures_disable_the_endpoint(department, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_DISABLE_AFTER = 2
    endpoint = webhook_create(
        by=department.head, url=receiver.url, events=["client.created", "client.updated"]
    )
    receiver.answers = [500] * 10
    rep = department.rep_north
    from clients.services import client_create, client_update

    client = client_create(by=rep, name="Failing Ltd")
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failure_streak) == (True, 1)
    client_update(by=rep, client=client, name="Failing Ltd 2")
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.failure_streak) == (False, 2)
    assert "2 deliveries in a row" in endpoint.disabled_reason
    assert list(WebhookDelivery.objects.values_list("status", "attempts")) == [
        (DeliveryStatus.FAILED, 2),
        (DeliveryStatus.FAILED, 2),
    ]
    client_update(by=rep, client=client, name="Failing Ltd 3")
    assert len(receiver.requests) == 4  # nothing more once disabled
    assert WebhookDelivery.objects.count() == 2


def test_a_redirect_is_not_followed(department, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    webhook_create(by=department.head, url=receiver.url, events=["deal.created"])
    receiver.answers = [302]
    deal_create(by=department.rep_north, client=ClientFactory(owner=department.rep_north), title="x")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == (DeliveryStatus.FAILED, 302)


def test_payment_recorded_carries_the_payment(department, receiver):
    endpoint = webhook_create(by=department.head, url=receiver.url, events=["payment.recorded"])
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north), stage=stage("Won"), closed_at=days_ago(5)
    )
    installment = InstallmentFactory(deal=deal, amount=money("300.00"))
    payment_record(actor=department.head, installment=installment, amount="120.00", paid_on=days_ago(0))
    [request] = receiver.requests
    body = verified(endpoint, request)
    assert (body["event"], body["data"]["amount"], body["data"]["installment"]) == (
        "payment.recorded",
        "120.00",
        installment.pk,
    )


# ------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://10.1.2.3/x",
        "https://192.168.0.10/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://localhost/x",
        "https://user:pw@93.184.215.14/x",
        "javascript:alert(1)",
        "not a url",
        "https://" + "a" * 600 + ".com/",
    ],
)
def test_production_policy_refuses_unsafe_addresses(api_as, department, settings, url):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = api_as(department.head).post("/api/v1/webhooks/", {"url": url, "events": ["deal.won"]})
    assert response.status_code == 400
    assert list(response.json()) == ["url"]
    assert WebhookEndpoint.objects.count() == 0


def test_a_public_https_address_is_accepted_under_the_production_policy(api_as, department, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = api_as(department.head).post(
        "/api/v1/webhooks/", {"url": "https://93.184.215.14/hooks", "events": ["deal.won", "deal.lost"]}
    )
    assert response.status_code == 201, response.content
    assert response.json()["events"] == ["deal.lost", "deal.won"]
    assert len(response.json()["secret"]) == 64


@pytest.mark.parametrize(
    "events", [[], ["deal.exploded"], "deal.won", [["deal.won"]], [{"a": 1}], ["deal.won"] * 21]
)
def test_bad_event_lists_are_a_400(api_as, department, receiver, events):
    response = api_as(department.head).post("/api/v1/webhooks/", {"url": receiver.url, "events": events})
    assert response.status_code == 400
    assert "events" in response.json()
    assert WebhookEndpoint.objects.count() == 0


# ------------------------------------------------------------------------------ who and what


@pytest.mark.parametrize("who", ["rep_north", "lead_north", "analyst", "assistant_north"])
def test_only_the_head_manages_webhooks(api_as, client, department, receiver, who):
    endpoint = webhook_create(by=department.head, url=receiver.url, events=["deal.won"])
    user = getattr(department, who)
    api = api_as(user)
    assert api.get("/api/v1/webhooks/").status_code == 403
    assert api.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["deal.won"]}).status_code == 403
    assert api.delete(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 403
    client.force_login(user)
    assert client.get("/integrations/webhooks/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_the_delivery_log_costs_the_same_queries_for_1_and_20_deliveries(api_as, department, receiver):
    endpoint = webhook_create(by=department.head, url=receiver.url, events=["deal.created"])
    rep = department.rep_north
    client = ClientFactory(owner=rep)

    def log() -> tuple[int, int]:
        api = api_as(department.head)
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/")
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    deal_create(by=rep, client=client, title="first")
    rows_small, small = log()
    for number in range(19):
        deal_create(by=rep, client=client, title=f"more {number}")
    rows_large, large = log()
    assert (rows_small, rows_large) == (1, 20)
    assert small == large


def test_the_head_adds_a_webhook_on_the_page_and_sees_its_deliveries(client, department, receiver):
    client.force_login(department.head)
    page = client.get("/")
    assert b'href="/integrations/webhooks/"' in page.content
    refused = client.post("/integrations/webhooks/", {"url": receiver.url})
    assert refused.status_code == 400  # the form again with its message, nothing added
    assert "events" in refused.context["form"].errors
    assert not WebhookEndpoint.objects.exists()
    # a wrong address is told at once, beside the missing events (it came only once they were chosen)
    both = client.post("/integrations/webhooks/", {"url": "not a url"}).context["form"].errors
    assert both["url"] == ["Give a full URL, such as https://example.com/hooks/salesdept."]
    assert "events" in both
    response = client.post("/integrations/webhooks/", {"url": receiver.url, "events": ["deal.created"]})
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/integrations/webhooks/{endpoint.pk}/"
    deal_create(by=department.rep_north, client=ClientFactory(owner=department.rep_north), title="Seen")
    detail = client.get(f"/integrations/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret in detail
    assert "deal.created" in detail
    confirm = client.get(f"/integrations/webhooks/{endpoint.pk}/delete/")
    assert confirm.status_code == 200
    assert WebhookEndpoint.objects.count() == 1
    assert client.post(f"/integrations/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert WebhookEndpoint.objects.count() == 0


def test_an_escalated_alert_is_announced_once(department, receiver):
    import datetime

    from django.utils import timezone

    from reports.services.alerts import alerts_refresh

    endpoint = webhook_create(by=department.head, url=receiver.url, events=["alert.escalated"])
    today = timezone.localdate()
    deal = DealFactory(
        client=ClientFactory(owner=department.rep_north), stage=stage("Won"), closed_at=days_ago(90)
    )
    InstallmentFactory(deal=deal, amount=money("700.00"), due_date=today - datetime.timedelta(days=45))
    InstallmentFactory(deal=deal, amount=money("50.00"), due_date=today - datetime.timedelta(days=3))
    alerts_refresh(today=today - datetime.timedelta(days=1), send_email=False)
    alerts_refresh(today=today, send_email=False)
    [request] = receiver.requests
    body = verified(endpoint, request)
    assert (body["event"], body["data"]["outstanding"], body["data"]["level"]) == (
        "alert.escalated",
        "700.00",
        2,
    )


def test_a_merge_is_announced_once_as_client_merged_with_the_survivors_json(api_as, department, receiver):
    from clients.services import client_merge

    endpoint = webhook_create(
        by=department.head, url=receiver.url, events=["client.merged", "client.updated"]
    )
    survivor = ClientFactory(owner=department.rep_north, name="Acme")
    duplicate = ClientFactory(owner=department.rep_north, name="Acme Group")
    client_merge(
        by=department.lead_north, survivor=survivor, duplicate=duplicate, fields={"name": "duplicate"}
    )

    assert receiver.events() == ["client.merged"]
    body = verified(endpoint, receiver.requests[0])
    assert body["event"] == "client.merged"
    assert body["data"] == api_as(department.head).get(f"/api/v1/clients/{survivor.pk}/").json()
    assert body["data"]["name"] == "Acme Group"
