"""Importing clients from CSV and XLSX: all rows or nothing, every problem listed, no twins —
through the service, the page and the API (one service behind both)."""

import pytest
from django.urls import reverse

from clients import services
from clients.models import Client, Contact
from tests.clients.conftest import csv_upload, read_xlsx, xlsx_upload
from tests.factories import IndustryFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

HEADER = "name,tax_id,industry,segment,tier,status,source,owner,contact_name,contact_phone,contact_email"
GOOD_ROWS = [
    "Acme Trading,7701 234 567,Retail,mid,A,customer,referral,rep_north,"
    "Anna Ivanova,+7 900 111-22-33,anna@acme.example",
    "Beta Foods,,Retail,,,,,,,,",
    "Gamma Steel,7702000002,,enterprise,B,prospect,Cold call,rep_north_2,Pavel,,",
]
BAD_ROW = "Delta Print,12-AB,Retail,,,,,,,,"
BAD_TAX_ID = "A tax id is 8 to 20 letters and digits (spaces, dashes, dots and slashes are ignored)."
NO_HEADER = "The first row must name the columns, including “name”. Download the template to see them."


@pytest.fixture
def references(db):
    IndustryFactory(name="Retail")
    TerritoryFactory(name="Volga")


def csv_file(*rows: str, header: str = HEADER):
    return csv_upload("\n".join([header, *rows]) + "\n")


def issues(result) -> list[tuple]:
    return [(issue.row, issue.field, issue.message) for issue in result.errors]


# --------------------------------------------------------------------------- the service


def test_one_bad_row_among_good_ones_creates_nothing_and_lists_the_row(department, references):
    result = services.client_import(
        by=department.lead_north, file=csv_file(GOOD_ROWS[0], BAD_ROW, *GOOD_ROWS[1:])
    )
    assert not result.ok
    assert result.rows == 4
    assert issues(result) == [
        (
            3,
            "tax_id",
            BAD_TAX_ID,
        )
    ]
    assert result.invalid_rows == 1
    assert Client.objects.count() == 0
    assert Contact.objects.count() == 0


def test_the_corrected_file_creates_every_row_once_and_again_creates_no_twins(department, references):
    corrected = BAD_ROW.replace("12-AB", "7703 000 003")
    result = services.client_import(
        by=department.lead_north, file=csv_file(GOOD_ROWS[0], corrected, *GOOD_ROWS[1:])
    )
    assert result.ok
    assert sorted(client.name for client in result.created) == [
        "Acme Trading",
        "Beta Foods",
        "Delta Print",
        "Gamma Steel",
    ]
    assert result.contacts_created == 2
    acme = Client.objects.get(name="Acme Trading")
    assert (
        acme.tax_id,
        acme.industry.name,
        acme.segment,
        acme.tier,
        acme.status,
        acme.source,
        acme.owner,
    ) == (
        "7701234567",
        "Retail",
        "mid",
        "A",
        "customer",
        "referral",
        department.rep_north,
    )
    assert acme.owner_assigned_by == department.lead_north
    assert list(acme.contacts.values_list("name", "phone", "email")) == [
        ("Anna Ivanova", "+7 900 111-22-33", "anna@acme.example")
    ]
    beta = Client.objects.get(name="Beta Foods")
    assert (beta.tax_id, beta.owner, beta.status, beta.tier, beta.segment, beta.source) == (
        None,
        department.lead_north,
        "lead",
        "C",
        "small",
        "inbound",
    )
    gamma = Client.objects.get(name="Gamma Steel")
    assert (gamma.source, gamma.owner) == ("cold_call", department.rep_north_2)
    assert acme.history.get().history_user == department.lead_north

    again = services.client_import(
        by=department.lead_north, file=csv_file(GOOD_ROWS[0], corrected, *GOOD_ROWS[1:])
    )
    assert issues(again) == [
        (2, "tax_id", "A client with this tax id already exists: Acme Trading."),
        (3, "tax_id", "A client with this tax id already exists: Delta Print."),
        (4, "name", "A client with this name already exists: Beta Foods."),
        (5, "tax_id", "A client with this tax id already exists: Gamma Steel."),
    ]
    assert Client.objects.count() == 4
    assert Contact.objects.count() == 2


def test_every_kind_of_problem_is_reported_per_row(department, references, book):
    rows = [
        ",7701999999,,,,,,,,,",  # 2: missing name
        "Epsilon,,Mining,,,,,,,,",  # 3: unknown industry
        "Zeta,,,huge,Z,vip,tv,,,,",  # 4: bad choices
        "Eta,,,,,,,nobody,,,",  # 5: unknown owner
        "Theta,,,,,,,rep_south,,,",  # 6: owner outside the lead's team
        "Iota,,,,,,,,,+7 900,bad-mail",  # 7: contact without a name, bad e-mail
        "Kappa Ltd,7704000004,,,,,,,,,",  # 8: fine
        "KAPPA,,,,,,,,,,",  # 9: twin of row 8 by name
        "Lambda,77 04 000 004,,,,,,,,,",  # 10: twin of row 8 by tax id
        "Northwind Trading LLC,,,,,,,,,,",  # 11: twin of an existing (visible) client
        "Something,2301000002,,,,,,,,,",  # 12: twin of a client of another team
    ]
    result = services.client_import(by=department.lead_north, file=csv_file(*rows))
    assert issues(result) == [
        (2, "name", "The name is missing."),
        (3, "industry", "Unknown industry “Mining”."),
        (4, "segment", "“huge” is not one of: small, mid, enterprise."),
        (4, "tier", "“Z” is not one of: A, B, C."),
        (4, "status", "“vip” is not one of: lead, prospect, customer, former."),
        (
            4,
            "source",
            "“tv” is not one of: inbound, cold_call, referral, exhibition, website, partner, tender.",
        ),
        (5, "owner", "Unknown owner “nobody”."),
        (6, "owner", "Unknown owner “rep_south”."),  # hidden from lead_north: as if made up
        (7, "contact_name", "Give the contact a name."),
        (7, "contact_email", "Enter a valid e-mail address."),
        (9, "name", "Duplicates row 8 of this file."),
        (10, "tax_id", "Duplicates row 8 of this file."),
        (11, "name", "A client with this name already exists: Northwind Trading."),
        (12, "tax_id", "A client with this tax id already exists."),
    ]
    assert result.invalid_rows == 10
    assert Client.objects.count() == 4  # only the book's


def test_a_rep_imports_only_for_themselves(department, references):
    result = services.client_import(
        by=department.rep_north, file=csv_file("Acme,,,,,,,rep_north_2,,,", "Beta,,,,,,,,,,")
    )
    assert issues(result) == [
        (2, "owner", f"You may not assign clients to {department.rep_north_2.full_name}.")
    ]
    result = services.client_import(
        by=department.rep_north, file=csv_file("Acme,,,,,,,rep_north,,,", "Beta,,,,,,,,,,")
    )
    assert result.ok
    assert set(Client.objects.values_list("owner__username", flat=True)) == {"rep_north"}


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_read_only_roles_cannot_import(department, role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.client_import(by=getattr(department, role), file=csv_file("Acme,,,,,,,,,,"))
    assert Client.objects.count() == 0


def test_xlsx_import_with_numbers_and_labels_as_headers(department, references):
    upload = xlsx_upload(
        [
            [
                "Name",
                "Tax id",
                "Industry",
                "Territory",
                "Contact name",
                "Contact phone",
                "Contact is decision maker",
            ],
            ["Acme", 7701234567, "retail", "volga", "Anna", 79001112233, "yes"],
            [None, None, None, None, None, None, None],
            ["Beta", None, None, None, None, None, None],
        ]
    )
    result = services.client_import(by=department.head, file=upload)
    assert result.ok, issues(result)
    acme = Client.objects.get(name="Acme")
    assert (acme.tax_id, acme.industry.name, acme.territory.name, acme.owner) == (
        "7701234567",
        "Retail",
        "Volga",
        department.head,
    )
    assert list(acme.contacts.values_list("name", "phone", "is_decision_maker")) == [
        ("Anna", "79001112233", True)
    ]
    assert Client.objects.count() == 2


def test_xlsx_with_a_bad_row_creates_nothing(department, references):
    upload = xlsx_upload([["name", "tax_id"], ["Acme", "7701234567"], ["", "7702222222"], ["Gamma", "x"]])
    result = services.client_import(by=department.head, file=upload)
    assert issues(result) == [
        (3, "name", "The name is missing."),
        (
            4,
            "tax_id",
            BAD_TAX_ID,
        ),
    ]
    assert Client.objects.count() == 0


def test_semicolon_csv_in_windows_1251(department):
    data = "name;tax_id\nРомашка ООО;7701234567\n".encode("cp1251")
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.client_import(by=department.head, file=SimpleUploadedFile("r.csv", data))
    assert result.ok
    client = Client.objects.get()
    assert (client.name, client.normalized_name, client.tax_id) == ("Ромашка ООО", "ромашка", "7701234567")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", [(None, "file", "The file is empty.")]),
        (
            "company,phone\nAcme,1\n",
            [
                (
                    1,
                    "name",
                    NO_HEADER,
                )
            ],
        ),
        ("name,tax_id\n", [(None, "file", "The file has no rows of clients under its header.")]),
    ],
)
def test_unreadable_files(department, content, expected):
    result = services.client_import(by=department.head, file=csv_upload(content))
    assert issues(result) == expected
    assert Client.objects.count() == 0


def test_a_broken_xlsx_is_reported(department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.client_import(
        by=department.head, file=SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken")
    )
    assert issues(result) == [(None, "file", "The file is not a readable XLSX workbook.")]


def test_check_only_validates_without_writing(department):
    result = services.client_import(by=department.head, file=csv_file("Acme,,,,,,,,,,"), check_only=True)
    assert result.ok and result.checked_only and result.rows == 1
    assert Client.objects.count() == 0


# --------------------------------------------------------------------------- the page


def test_import_page_lists_the_bad_row_and_creates_nothing(client, department, references):
    client.force_login(department.lead_north)
    response = client.post(reverse("clients:import"), {"file": csv_file(GOOD_ROWS[0], BAD_ROW)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "1 of 2 rows has a problem." in page
    assert '<td class="num">3</td><td>Delta Print</td><td><code>tax_id</code></td>' in page
    assert Client.objects.count() == 0


def test_import_page_success_summary(client, department, references):
    client.force_login(department.lead_north)
    response = client.post(reverse("clients:import"), {"file": csv_file(*GOOD_ROWS)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 clients created" in page
    assert "with 2 contacts." in page
    for client_row in Client.objects.all():
        assert f'href="/clients/{client_row.pk}/"' in page
    assert Client.objects.count() == 3


def test_import_page_check_only(client, department):
    client.force_login(department.head)
    response = client.post(
        reverse("clients:import"), {"file": csv_file("Acme,,,,,,,,,,"), "check_only": "on"}
    )
    assert "The row is valid" in response.content.decode()
    assert Client.objects.count() == 0


def test_import_page_without_a_file_shows_the_form_error(client, department):
    client.force_login(department.head)
    response = client.post(reverse("clients:import"), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_import_page_is_forbidden_to_read_only_roles(client, department, role):
    client.force_login(getattr(department, role))
    assert client.get(reverse("clients:import")).status_code == 403
    response = client.post(reverse("clients:import"), {"file": csv_file("Acme,,,,,,,,,,")})
    assert response.status_code == 403
    assert Client.objects.count() == 0


def test_template_files_show_the_columns(client, department):
    client.force_login(department.rep_north)
    csv_response = client.get(reverse("clients:import_template", args=["csv"]))
    assert csv_response.status_code == 200
    assert b"".join(csv_response.streaming_content).decode() == (
        "\ufeffname,legal_name,tax_id,industry,segment,territory,tier,status,source,owner,phone,website,"
        "address,notes,contact_name,contact_position,contact_phone,contact_email,contact_decision_maker\r\n"
    )
    xlsx_response = client.get(reverse("clients:import_template", args=["xlsx"]))
    sheets = read_xlsx(xlsx_response.content)
    assert list(sheets) == ["clients", "help"]
    assert sheets["clients"][0][:3] == ["name", "legal_name", "tax_id"]
    assert sheets["help"][1] == ["name", "Name", "Required. The company's usual name."]
    assert client.get("/clients/import/template.pdf").status_code == 404


def test_an_exported_list_imports_back(client, department, book):
    client.force_login(department.head)
    exported = client.get(reverse("clients:export", args=["xlsx"]), {"search": "Northwind"})
    Client.objects.filter(pk=book.north.pk).delete()
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.client_import(by=department.head, file=SimpleUploadedFile("e.xlsx", exported.content))
    assert result.ok, issues(result)
    restored = Client.objects.get(name="Northwind Trading")
    assert (restored.tax_id, restored.owner) == ("7701000001", department.rep_north)


# --------------------------------------------------------------------------- the API


def test_api_import_creates_all_rows(api_as, department, references):
    response = api_as(department.lead_north).post(
        "/api/v1/clients/import/", {"file": csv_file(*GOOD_ROWS)}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json() == {"created": 3}
    assert Client.objects.count() == 3


def test_api_import_lists_errors_and_writes_nothing(api_as, department, references):
    response = api_as(department.lead_north).post(
        "/api/v1/clients/import/",
        {"file": csv_file(GOOD_ROWS[0], BAD_ROW, "Acme Trading,,,,,,,,,,")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "row": 3,
                "field": "tax_id",
                "message": BAD_TAX_ID,
            },
            {"row": 4, "field": "name", "message": "Duplicates row 2 of this file."},
        ]
    }
    assert Client.objects.count() == 0


def test_api_import_of_xlsx(api_as, department):
    upload = xlsx_upload([["name"], ["Acme"], ["Beta"]])
    response = api_as(department.rep_north).post(
        "/api/v1/clients/import/", {"file": upload}, format="multipart"
    )
    assert (response.status_code, response.json()) == (201, {"created": 2})
    assert set(Client.objects.values_list("owner__username", flat=True)) == {"rep_north"}


def test_api_import_without_a_file(api_as, department):
    response = api_as(department.head).post("/api/v1/clients/import/", {}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"row": None, "field": "file", "message": "Attach the file as “file”."}]
    }


@pytest.mark.parametrize("role", ["analyst", "assistant_north"])
def test_api_import_is_forbidden_to_read_only_roles(api_as, department, role):
    response = api_as(getattr(department, role)).post(
        "/api/v1/clients/import/", {"file": csv_file("Acme,,,,,,,,,,")}, format="multipart"
    )
    assert response.status_code == 403
    assert Client.objects.count() == 0


# --------------------------------------------------------------------------- hostile files


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook written in streaming mode (as large exports are), rows as given."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with one part's XML passed through ``change`` (zip tricks)."""
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part or (part == "*" and "PLACEHOLDER" in content.decode()):
                content = change(content.decode()).encode()
            target.writestr(info.filename, content)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_parsing(department, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    # openpyxl cuts strings at Excel's 32,767 characters: put the long one into the XML.
    data = _xlsx_bytes([["name", "notes"], ["Bomb", "PLACEHOLDER"]])
    data = _rewrite_sheet(data, lambda xml: xml.replace("PLACEHOLDER", "x" * 2_000_000), part="*")
    assert len(data) < 20_000  # 2 MB of text packs into a few KB
    result = services.client_import(by=department.head, file=_upload(data, "bomb.xlsx"))
    assert issues(result) == [
        (
            None,
            "file",
            "The workbook unpacks to more than 1 MB; import a smaller file (only the first sheet, "
            "without pictures).",
        )
    ]
    assert Client.objects.count() == 0


def test_a_cell_longer_than_the_limit_is_refused(department):
    data = _xlsx_bytes([["name", "notes"], ["Fine", "x" * 10_000], ["Long", "x" * 10_001]])
    result = services.client_import(by=department.head, file=_upload(data, "long.xlsx"))
    assert issues(result) == [(3, "notes", "The cell is longer than 10000 characters.")]
    assert Client.objects.count() == 0
    result = services.client_import(by=department.head, file=csv_upload("name,notes\nLong," + "y" * 10_001))
    assert issues(result) == [(2, "notes", "The cell is longer than 10000 characters.")]
    assert Client.objects.count() == 0


def test_too_many_rows_are_refused(department, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["name"], *[[f"Client {number}"] for number in range(4)]]
    result = services.client_import(by=department.head, file=_upload(_xlsx_bytes(rows), "rows.xlsx"))
    assert issues(result) == [(None, "file", "The file has more than 3 rows; split it into smaller files.")]
    result = services.client_import(by=department.head, file=csv_upload("name\nA\nB\nC\nD\n"))
    assert issues(result) == [(None, "file", "The file has more than 3 rows; split it into smaller files.")]
    assert Client.objects.count() == 0


def test_a_sheet_claiming_a_million_rows_by_16384_columns_is_read_within_bounds(department, settings):
    settings.IMPORT_MAX_ROWS = 10
    data = _xlsx_bytes([["name"], ["Acme"]])

    def stretch(xml: str) -> str:
        # Claim the whole sheet and put one more cell in its last row and column.
        xml = xml.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>', 1)
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        )

    result = services.client_import(
        by=department.head, file=_upload(_rewrite_sheet(data, stretch), "wide.xlsx")
    )
    assert issues(result) == [(None, "file", "The file has more than 10 rows; split it into smaller files.")]
    assert Client.objects.count() == 0


def test_columns_beyond_the_limit_are_not_read(department):
    data = _xlsx_bytes([["name", *[f"extra {n}" for n in range(300)]], ["Acme", *["z" * 50] * 300]])
    result = services.client_import(by=department.head, file=_upload(data, "wide.xlsx"))
    assert result.ok
    assert Client.objects.get().name == "Acme"


def test_a_formula_without_a_saved_value_is_a_row_error(department):
    # openpyxl writes formulas without calculating them: no cached value in the file.
    data = _xlsx_bytes([["name", "tax_id"], ["Acme", "7701234567"], ['="Beta"&" Foods"', "7702000002"]])
    result = services.client_import(by=department.head, file=_upload(data, "formula.xlsx"))
    assert issues(result) == [
        (
            3,
            "name",
            "Cell A3 is a formula without a saved value; open the file in a spreadsheet program, "
            "save it with its values and import it again.",
        )
    ]
    assert Client.objects.count() == 0


def test_a_formula_with_a_saved_value_imports_its_value(department):
    data = _xlsx_bytes([["name"], ['="Beta"']])
    data = _rewrite_sheet(
        data,
        lambda xml: xml.replace("</f>", "</f><v>Beta Foods</v>").replace('<c r="A2"', '<c r="A2" t="str"'),
    )
    result = services.client_import(by=department.head, file=_upload(data, "cached.xlsx"))
    assert result.ok, issues(result)
    assert Client.objects.get().name == "Beta Foods"


# --------------------------------------------------------------------------- CSV encodings

NOT_SURE = (
    "The file is not UTF-8 text and its encoding cannot be told for sure. Accepted are UTF-8, "
    "Windows-1251 (Cyrillic) and Windows-1252 (Western European). Save the file as “CSV UTF-8” "
    "(in Excel: File › Save As › CSV UTF-8) and import it again."
)


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_latin_1_csv_imports_its_accents(department, encoding):
    data = "name;address\nCafé Müller;Straße 5, Zürich\n".encode(encoding)
    result = services.client_import(by=department.head, file=_upload(data, "latin.csv"))
    assert result.ok, issues(result)
    assert Client.objects.values_list("name", "address").get() == ("Café Müller", "Straße 5, Zürich")


def test_a_windows_1251_csv_with_cyrillic_imports(department):
    data = "name;address\nКафе Мюллер;ул. Ленина, 5\nЁлка ООО;\n".encode("cp1251")
    result = services.client_import(by=department.head, file=_upload(data, "cyrillic.csv"))
    assert result.ok, issues(result)
    assert sorted(Client.objects.values_list("name", flat=True)) == ["Ёлка ООО", "Кафе Мюллер"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf_8_with_or_without_a_byte_order_mark(department, bom):
    data = bom + "name\nCafé Ромашка\n".encode()
    result = services.client_import(by=department.head, file=_upload(data, "utf8.csv"))
    assert result.ok
    assert Client.objects.get().name == "Café Ромашка"


def test_a_csv_whose_encoding_is_unsure_is_refused_not_imported_as_garbage(department):
    # Windows-1251 reads it as "Cafй Ром" (mixed scripts), Windows-1252 as "Café Ðîì".
    data = b"name\nCaf\xe9 \xd0\xee\xec\n"
    result = services.client_import(by=department.head, file=_upload(data, "unsure.csv"))
    assert issues(result) == [(None, "file", NOT_SURE)]
    assert Client.objects.count() == 0
