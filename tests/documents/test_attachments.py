"""Attachments: upload, list, download and delete on clients, deals and contracts; exactly the
parent's visibility (404 for a hidden parent's file); the type checked by content; the size
limit; nothing written on refusal; the API and the pages."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from documents.files import content_disposition, display_name
from documents.models import Attachment
from tests.documents.conftest import EXE, PDF, PNG, docx_bytes, files_on, make_contract, upload

pytestmark = pytest.mark.django_db

PATH = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}$")


def post_file(api, **fields):
    return api.post("/api/v1/attachments/", fields, format="multipart")


def test_a_rep_uploads_a_pdf_to_their_deal_and_downloads_it(department, north_deal, api_as, disk):
    api = api_as(department.rep_north)
    response = post_file(api, deal=north_deal.pk, file=upload("Offer v2.pdf"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["deal"], body["client"], body["contract"]) == (north_deal.pk, None, None)
    assert (body["name"], body["content_type"], body["size"]) == ("Offer v2.pdf", "application/pdf", len(PDF))
    stored = Attachment.objects.get()
    assert PATH.match(stored.file.name), stored.file.name
    assert files_on(disk) == [stored.file.name]
    download = api.get(f"/api/v1/attachments/{stored.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert (
        download["Content-Disposition"]
        == "attachment; filename=\"Offer v2.pdf\"; filename*=UTF-8''Offer%20v2.pdf"
    )
    assert download["X-Content-Type-Options"] == "nosniff"


def test_docx_png_and_text_are_recognised_by_content(department, north_deal, api_as, disk):
    api = api_as(department.rep_north)
    cases = [
        (
            "spec.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("scan.png", PNG, "image/png"),
        ("notes.txt", "Привет, 你好".encode(), "text/plain"),
        ("prices.csv", b"name;price\nA;1\n", "text/csv"),
    ]
    for name, content, expected in cases:
        response = post_file(api, deal=north_deal.pk, file=upload(name, content, "application/octet-stream"))
        assert response.status_code == 201, (name, response.content)
        assert response.json()["content_type"] == expected


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_written(department, north_deal, api_as, disk):
    response = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload("invoice.pdf", EXE))
    assert response.status_code == 400
    assert response.json() == {
        "file": [
            "This kind of file is not accepted (its content was checked, not its name). "
            "Accepted: PDF, PNG, JPEG, DOCX, XLSX, TXT, CSV."
        ]
    }
    assert Attachment.objects.count() == 0
    assert files_on(disk) == []


def test_a_file_over_the_limit_is_refused_with_a_message(department, north_deal, api_as, disk, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = PDF + b"0" * 2000
    response = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload("big.pdf", big))
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is 2.0\xa0KB; files up to 1.0\xa0KB are accepted."]}
    assert Attachment.objects.count() == 0
    assert files_on(disk) == []


def test_a_type_left_out_of_the_settings_is_refused(department, north_deal, api_as, disk, settings):
    settings.ATTACHMENT_ALLOWED_TYPES = ["pdf"]
    response = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload("a.png", PNG))
    assert response.status_code == 400
    assert "Accepted: PDF." in response.json()["file"][0]
    assert files_on(disk) == []


def test_an_empty_file_is_refused(department, north_deal, api_as, disk):
    response = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload("a.pdf", b""))
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is empty."]}


@pytest.mark.parametrize("parents", [{}, {"both": True}])
def test_exactly_one_parent(department, north_deal, api_as, disk, parents):
    fields = {"client": north_deal.client_id, "deal": north_deal.pk} if parents else {}
    response = post_file(api_as(department.rep_north), file=upload(), **fields)
    assert response.status_code == 400
    assert response.json() == {
        "parent": ["Attach the file to exactly one record: a client, a deal or a contract."]
    }
    assert files_on(disk) == []


def test_the_database_refuses_an_attachment_with_two_parents(department, north_deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            client=north_deal.client,
            deal=north_deal,
            file="attachments/x",
            name="x.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=department.rep_north,
        )


def test_a_rep_of_another_team_gets_404_for_a_file_of_a_deal_they_cannot_see(
    department, north_deal, api_as, client, disk
):
    attachment_id = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload()).json()["id"]
    api = api_as(department.rep_south)
    assert api.get(f"/api/v1/attachments/{attachment_id}/").status_code == 404
    assert api.get(f"/api/v1/attachments/{attachment_id}/download/").status_code == 404
    assert api.delete(f"/api/v1/attachments/{attachment_id}/").status_code == 404
    assert api.get("/api/v1/attachments/").json()["count"] == 0
    refused = post_file(api, deal=north_deal.pk, file=upload())
    assert refused.status_code == 400
    assert list(refused.json()) == ["deal"]
    client.force_login(department.rep_south)
    assert client.get(reverse("documents:attachment_download", args=[attachment_id])).status_code == 404
    assert client.get(reverse("documents:attachments", args=["deal", north_deal.pk])).status_code == 404
    assert client.post(reverse("documents:attachment_delete", args=[attachment_id])).status_code == 404
    assert Attachment.objects.count() == 1


def _quote(deal, by):
    from deals.services import deal_line_add, quote_create

    deal_line_add(
        by=by, deal=deal, quantity="1", name="Licence", unit="pcs", unit_price="100.00", tax_rate="0"
    )
    return quote_create(by=by, deal=deal)


def test_visibility_follows_client_deal_contract_and_proposal(department, north_deal, api_as, disk):
    contract = make_contract(north_deal)
    quote = _quote(north_deal, department.rep_north)
    api = api_as(department.rep_north)
    for field, value in (
        ("client", north_deal.client_id),
        ("deal", north_deal.pk),
        ("contract", contract.pk),
        ("quote", quote.pk),
    ):
        assert post_file(api, **{field: value}, file=upload()).status_code == 201
    seen = {
        viewer: api_as(getattr(department, viewer)).get("/api/v1/attachments/").json()["count"]
        for viewer in (
            "rep_north",
            "rep_north_2",
            "lead_north",
            "assistant_north",
            "head",
            "analyst",
            "rep_south",
            "lead_south",
        )
    }
    assert seen == {
        "rep_north": 4,
        "rep_north_2": 0,
        "lead_north": 4,
        "assistant_north": 4,
        "head": 4,
        "analyst": 4,
        "rep_south": 0,
        "lead_south": 0,
    }
    # Filtered by the proposal; another team's rep may not attach to it.
    assert api_as(department.rep_north).get("/api/v1/attachments/", {"quote": quote.pk}).json()["count"] == 1
    assert (
        api_as(department.rep_south)
        .post("/api/v1/attachments/", {"quote": quote.pk, "file": upload()}, format="multipart")
        .status_code
        == 400
    )


@pytest.mark.parametrize(
    ("deleter", "status"),
    [
        ("rep_north", 204),
        ("lead_north", 204),
        ("head", 204),
        ("assistant_north", 403),
        ("analyst", 403),
        ("lead_south", 404),
    ],
)
def test_who_deletes_a_file(
    department, north_deal, api_as, disk, deleter, status, django_capture_on_commit_callbacks
):
    attachment_id = post_file(api_as(department.rep_north), deal=north_deal.pk, file=upload()).json()["id"]
    path = Attachment.objects.get().file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(getattr(department, deleter)).delete(f"/api/v1/attachments/{attachment_id}/")
    assert response.status_code == status
    if status == 204:
        assert not Attachment.objects.exists()
        assert files_on(disk) == []
    else:
        assert files_on(disk) == [path]


def test_the_uploader_deletes_their_file_on_a_colleagues_client(department, api_as, disk):
    """A lead uploads onto their rep's client; the rep (the owner) may delete it too."""
    from tests.factories import ClientFactory

    customer = ClientFactory(owner=department.rep_north)
    attachment_id = post_file(api_as(department.lead_north), client=customer.pk, file=upload()).json()["id"]
    assert api_as(department.rep_north).delete(f"/api/v1/attachments/{attachment_id}/").status_code == 204


def test_a_contracts_signed_scan_cannot_be_deleted(department, north_deal, api_as, disk):
    contract = make_contract(north_deal, status="approved")
    api = api_as(department.rep_north)
    scan_id = post_file(api, contract=contract.pk, file=upload("signed.pdf")).json()["id"]
    assert api.post(f"/api/v1/contracts/{contract.pk}/sign/", {"scan": scan_id}).status_code == 200
    response = api.delete(f"/api/v1/attachments/{scan_id}/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["This file is the signed scan of a contract and cannot be deleted."]
    }


def test_filenames_are_display_text_only():
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\Договор №5.pdf") == "Договор №5.pdf"
    assert display_name('a<b>:"c".pdf') == "a_b_c_.pdf"
    assert display_name("...") == "file"
    assert display_name("\x00\x1f") == "file"
    long = display_name("x" * 500 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    header = content_disposition('合同 "v2";\r\nX-Evil: 1.pdf')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%90%88%E5%90%8C%20%22v2%22%3B%0D%0AX-Evil%3A%201.pdf" in header


def test_the_page_panel_uploads_and_shows_a_refusal(department, north_deal, client, disk):
    client.force_login(department.rep_north)
    url = reverse("documents:attachments", args=["deal", north_deal.pk])
    refused = client.post(url, {"file": upload("x.pdf", EXE)}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    assert "This kind of file is not accepted" in refused.content.decode()
    assert files_on(disk) == []
    accepted = client.post(url, {"file": upload("Спецификация.pdf")}, headers={"HX-Request": "true"})
    assert accepted.status_code == 200
    page = accepted.content.decode()
    assert "Спецификация.pdf" in page and "File uploaded." in page
    assert len(files_on(disk)) == 1
    plain = client.post(url, {"file": upload("y.pdf", EXE)})
    assert plain.status_code == 302 and plain["Location"] == reverse("deals:detail", args=[north_deal.pk])


def test_an_unknown_parent_kind_is_404(department, client):
    client.force_login(department.head)
    assert client.get("/documents/attachments/quote/1/").status_code == 404
    assert client.get("/documents/attachments/deal/99999999999999999999/").status_code == 404


def test_the_api_list_runs_a_constant_number_of_queries(
    department, north_deal, api_as, disk, django_assert_num_queries
):
    from documents.services import attachment_add

    def listed(rows):
        api = api_as(department.lead_north)
        with django_assert_num_queries(3):  # token, count, page
            response = api.get("/api/v1/attachments/")
        assert response.status_code == 200
        assert (response.json()["count"], len(response.json()["results"])) == (rows, rows)

    attachment_add(by=department.rep_north, upload=upload(), deal=north_deal)
    listed(1)
    for _ in range(4):
        attachment_add(by=department.rep_north, upload=upload(), client=north_deal.client)
    listed(5)
