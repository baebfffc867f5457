"""The Idempotency-Key header (core/idempotency.py): a client that retries an API write it
lost the answer to gets the first answer again and nothing is written twice."""

import datetime
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from clients.api.activities import ActivityViewSet
from clients.models import Activity
from core.models import IdempotentRequest
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

CALL = {"kind": "call", "direction": "outgoing", "duration_minutes": 5, "outcome": "Agreed on a demo."}


@pytest.fixture
def customer(department):
    return ClientFactory(owner=department.rep_north, name="Polar Foods")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='retries').key}")
    return client


def log_call(client, customer, key=None, **changes):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(
        "/api/v1/activities/", {"client": customer.pk, **CALL, **changes}, format="json", **headers
    )


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_once(department, customer):
    rep = token_client(department.rep_north)
    first = log_call(rep, customer, key="call-7f3a")
    again = log_call(rep, customer, key="call-7f3a")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Activity.objects.filter(client=customer).count() == 1
    assert first.json()["id"] == Activity.objects.get(client=customer).pk


def test_without_a_key_a_retry_writes_again(department, customer):
    rep = token_client(department.rep_north)
    assert [log_call(rep, customer).status_code for _ in range(2)] == [201, 201]
    assert Activity.objects.filter(client=customer).count() == 2
    assert not IdempotentRequest.objects.exists()


def test_the_same_key_for_a_different_request_is_a_422_that_writes_nothing(department, customer):
    rep = token_client(department.rep_north)
    assert log_call(rep, customer, key="k1").status_code == 201
    other = log_call(rep, customer, key="k1", outcome="Something else.")
    assert other.status_code == 422
    assert other.json() == {"detail": "This Idempotency-Key was used for a different request."}
    assert list(Activity.objects.filter(client=customer).values_list("outcome", flat=True)) == [
        "Agreed on a demo."
    ]


def test_a_refused_request_keeps_nothing_so_the_corrected_one_runs_under_its_key(department, customer):
    rep = token_client(department.rep_north)
    refused = log_call(rep, customer, key="k2", duration_minutes=-5)
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    corrected = log_call(rep, customer, key="k2")
    assert corrected.status_code == 201
    assert Activity.objects.filter(client=customer).count() == 1


def test_keys_belong_to_the_user_whichever_token_or_spelling(department, customer):
    """Another user's same key is another key: their write runs and they never read the
    first user's answer. The same user's second token, or the scheme spelled in lower case,
    is the same user: a replay, not a second write."""
    rep, head = department.rep_north, department.head
    token = api_token_create(user=rep, name="first").key
    first = APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert log_call(first, customer, key="shared").status_code == 201
    others = log_call(token_client(head), customer, key="shared")
    assert (others.status_code, "Idempotent-Replayed" in others) == (201, False)
    lower = APIClient()
    lower.credentials(HTTP_AUTHORIZATION=f"token {token}")
    for same_user in (token_client(rep), lower):
        again = log_call(same_user, customer, key="shared")
        assert (again.status_code, again["Idempotent-Replayed"]) == (201, "true")
    assert Activity.objects.filter(client=customer).count() == 2


def test_a_replay_needs_the_credential_to_be_good_still(department, customer):
    """A revoked token's retry is answered by the API (401), not from what was kept; so is a
    header the API does not read beside a session that ended."""
    from accounts.models import ApiToken

    rep = token_client(department.rep_north)
    assert log_call(rep, customer, key="k3").status_code == 201
    ApiToken.objects.filter(user=department.rep_north).update(revoked_at=timezone.now())
    refused = log_call(rep, customer, key="k3")
    assert refused.status_code == 401
    assert "Idempotent-Replayed" not in refused
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer undefined")
    assert log_call(stranger, customer, key="k3").status_code == 401
    assert Activity.objects.filter(client=customer).count() == 1


def test_answers_with_a_secret_shown_once_are_not_kept(department):
    """A new API token's key is shown once and kept only as a hash: a retry makes another
    token rather than reading the first one's key back from a kept answer."""
    from accounts.models import ApiToken

    rep = token_client(department.rep_north)
    keys = []
    for _ in range(2):
        response = rep.post("/api/v1/tokens/", {"name": "ci"}, format="json", HTTP_IDEMPOTENCY_KEY="tok")
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
        keys.append(response.json()["key"])
    assert keys[0] != keys[1]
    assert ApiToken.objects.filter(user=department.rep_north, name="ci").count() == 2
    assert not IdempotentRequest.objects.exists()


def test_a_form_with_a_file_is_the_same_request_whatever_its_boundary(department, customer):
    """Clients pick a new multipart boundary for every send: a retry of an upload is still a
    retry (a replay), and a different file under the key is a 422."""
    from django.test.client import encode_multipart

    from documents.models import Attachment

    rep = token_client(department.rep_north)

    def upload(boundary, content=b"price list"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        body = encode_multipart(
            boundary, {"client": customer.pk, "file": SimpleUploadedFile("a.txt", content)}
        )
        return rep.post(
            "/api/v1/attachments/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first, again = upload("one-boundary"), upload("another-boundary")
    assert (first.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert again.content == first.content
    assert upload("third-boundary", b"another file").status_code == 422
    assert Attachment.objects.filter(client=customer).count() == 1


def test_a_replay_keeps_the_headers_that_say_what_the_body_is(department, customer):
    rep = token_client(department.head)
    body = {"ids": [customer.pk], "action": "export", "params": {"format": "xlsx"}}
    first = rep.post("/api/v1/clients/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="export-1")
    again = rep.post("/api/v1/clients/bulk/", body, format="json", HTTP_IDEMPOTENCY_KEY="export-1")
    assert first.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    for header in ("Content-Type", "Content-Disposition"):
        assert again[header] == first[header]
    assert again.content == first.content


def test_without_a_signed_in_user_nothing_is_kept(customer):
    response = log_call(APIClient(), customer, key="anon")
    assert response.status_code == 401
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "ключ", "tab\tkey", "sent,twice"])
def test_a_bad_key_is_a_400_that_writes_nothing(department, customer, key):
    response = log_call(token_client(department.rep_north), customer, key=key)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The Idempotency-Key header must be 1 to 255 visible ASCII characters, without commas."
    }
    assert not Activity.objects.filter(client=customer).exists()


def test_a_retry_while_the_first_is_still_answered_is_a_409(department, customer):
    """The retry arrives while the first request is inside its view (here: sent from it)."""
    rep = token_client(department.rep_north)
    create = ActivityViewSet.create
    answers = []

    def create_and_retry(self, request, *args, **kwargs):
        answers.append(log_call(rep, customer, key="slow"))
        return create(self, request, *args, **kwargs)

    with mock.patch.object(ActivityViewSet, "create", create_and_retry):
        first = log_call(rep, customer, key="slow")
    assert first.status_code == 201
    assert answers[0].status_code == 409
    assert (
        answers[0].json()["detail"]
        == "A request with this Idempotency-Key is still being answered; try again."
    )
    assert Activity.objects.filter(client=customer).count() == 1


def test_a_key_whose_request_died_or_expired_is_free_again(department, customer):
    rep = token_client(department.rep_north)
    assert log_call(rep, customer, key="old").status_code == 201
    kept = IdempotentRequest.objects.get(key="old")
    # A day later the answer is gone: the same key writes again.
    IdempotentRequest.objects.filter(pk=kept.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert "Idempotent-Replayed" not in log_call(rep, customer, key="old")
    assert Activity.objects.filter(client=customer).count() == 2
    # A first request that never finished (its process died) frees its key after five minutes.
    IdempotentRequest.objects.filter(key="old").update(
        status=None, created_at=timezone.now() - datetime.timedelta(minutes=6)
    )
    assert log_call(rep, customer, key="old").status_code == 201
    assert Activity.objects.filter(client=customer).count() == 3


def test_the_hourly_purge_drops_answers_older_than_a_day(department, customer):
    from core.tasks import idempotency_purge

    rep = token_client(department.rep_north)
    log_call(rep, customer, key="a")
    log_call(rep, customer, key="b")
    IdempotentRequest.objects.filter(key="a").update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert idempotency_purge() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["b"]


def test_pages_and_reads_ignore_the_header(department, customer):
    rep = token_client(department.rep_north)
    listed = rep.get("/api/v1/activities/", HTTP_IDEMPOTENCY_KEY="with space")
    assert listed.status_code == 200
    # a page's form (not the API) posted twice with a key writes twice: pages do not read it
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(department.rep_north)
    for _ in range(2):
        logged = browser.post(
            f"/clients/{customer.pk}/activities/",
            {**CALL, "duration_minutes": "5"},
            HTTP_IDEMPOTENCY_KEY="page-key",
            HTTP_HX_REQUEST="true",
        )
        assert logged.status_code == 200
    assert Activity.objects.filter(client=customer).count() == 2
    assert not IdempotentRequest.objects.exists()


def test_the_schema_documents_the_header_on_writes():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    create = schema["paths"]["/api/v1/activities/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in create["parameters"]]
    assert "422" in create["responses"]
    assert "Idempotency-Key" not in [
        p["name"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]
    ]


@pytest.mark.parametrize("attempt", range(3))
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_write_once(attempt):
    """The same write sent twice at the same moment (a double tap, a client retrying too
    early) through two connections: one writes, the other is told to wait (409) or gets the
    same answer."""
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (DATABASE_URL)")
    from tests.conftest import build_department

    department = build_department()
    customer = ClientFactory(owner=department.rep_north, name="Polar Foods")
    key = api_token_create(user=department.rep_north, name="retries").key
    start = threading.Barrier(2)
    answers = []

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        start.wait(5)
        try:
            answers.append(log_call(client, customer, key="double-tap"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses in ([201, 201], [201, 409]), statuses
    assert Activity.objects.filter(client=customer).count() == 1


def test_a_body_too_large_gets_the_apis_413_and_an_upload_of_any_size_is_kept(department, customer, settings):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE a JSON body is the API's 413, as without a key; an
    upload's files are not held in memory (they go to disk past its own limit), so a file of
    any size the API takes is kept and replayed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Attachment

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    rep = token_client(department.rep_north)
    response = log_call(rep, customer, key="big", outcome="x" * 2000)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 1000 bytes."}
    assert not Activity.objects.filter(client=customer).exists()
    answers = [
        rep.post(
            "/api/v1/attachments/",
            {"client": customer.pk, "file": SimpleUploadedFile("price.txt", b"x" * 5000)},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="big-upload",
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Attachment.objects.filter(client=customer).count() == 1


def test_a_browser_session_post_with_its_csrf_token_is_kept_too(department, customer):
    """The API's session sign-in checks the CSRF token in a POST's body or header: the
    middleware signs the request in the same way (it once could not read the body for it, and
    a session's retry wrote twice)."""
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(department.rep_north)
    assert browser.get("/").status_code == 200  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    answers = [
        browser.post(
            "/api/v1/activities/",
            {"client": customer.pk, **CALL},
            format="json",
            HTTP_IDEMPOTENCY_KEY="session-1",
            HTTP_X_CSRFTOKEN=token,
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Activity.objects.filter(client=customer).count() == 1
    # without the token the API refuses it (403), and nothing is kept
    refused = log_call(browser, customer, key="session-2")
    assert refused.status_code == 403
    assert not IdempotentRequest.objects.filter(key="session-2").exists()


def test_a_replay_says_the_language_its_body_is_in(department, customer):
    rep = token_client(department.rep_north)
    rep.cookies["django_language"] = "ru"
    first = log_call(rep, customer, key="lang")
    rep.cookies["django_language"] = "en"
    again = log_call(rep, customer, key="lang")
    assert (first["Content-Language"], again["Content-Language"]) == ("ru", "ru")


def test_the_same_bytes_in_another_charset_are_another_request(department, customer):
    rep = token_client(department.rep_north)
    body = f"client={customer.pk}&name=CS-%C3%A9"
    sent = [
        rep.post(
            "/api/v1/contacts/",
            body,
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
            HTTP_IDEMPOTENCY_KEY="charset",
        ).status_code
        for charset in ("utf-8", "UTF-8", "latin-1")
    ]
    assert sent == [201, 201, 422]


def test_a_body_the_api_cannot_read_gets_the_apis_answer_with_a_key(department, customer):
    rep = token_client(department.rep_north)
    fields = "&".join(f"f{number}=x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    answer = rep.post(
        "/api/v1/contacts/",
        fields,
        content_type="application/x-www-form-urlencoded",
        HTTP_IDEMPOTENCY_KEY="many",
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "The request has more fields than the server accepts."}
    anonymous = log_call(APIClient(), customer, key="with space")
    assert anonymous.status_code == 401  # signed in first: a bad key from nobody is the API's 401
    assert not IdempotentRequest.objects.exists()
