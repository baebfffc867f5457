"""The front-end conventions: no inline handlers or inline scripts in templates (the policy
forbids them), one script and one stylesheet set on every page, and a strict
Content-Security-Policy header on the pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC = Path(settings.BASE_DIR) / "static"
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)


def templates():
    return sorted(path for path in TEMPLATES.rglob("*.html"))


def test_no_template_has_an_inline_event_handler():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}"
        for path in templates()
        for match in INLINE_HANDLER.finditer(path.read_text())
    ]
    assert offenders == []


DATE_FILTER = re.compile(r"""\|date:(["'])([^"']*)\1""")
# Dates for people in the language's own formats (salesdept/formats/): a format written out
# in a template ("j M Y") read "4 十二月 2026" in Chinese. 'c' is for machines, "l" a weekday.
NAMED_DATE_FORMATS = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "c",
    "l",
}


def test_every_date_in_a_template_uses_a_named_format():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in templates()
        for match in DATE_FILTER.finditer(path.read_text())
        if match.group(2) not in NAMED_DATE_FORMATS
    ]
    assert offenders == []


PYTHON_DATE_FORMAT = re.compile(r"""date_format\((?:[^()]|\([^()]*\))*?,\s*(["'])([^"']*)\1""")
# A month's name or abbreviation alone (month pickers, chart ticks) reads right in every language.
MONTH_NAMES = {"F", "M", "M Y"}


def test_every_date_a_table_or_view_writes_uses_a_named_format():
    """The tables' cells too: the deal and contract lists wrote "2027-02-22" in every language."""
    offenders = []
    for app in sorted(path.parent for path in Path(settings.BASE_DIR).glob("*/apps.py")):
        for path in sorted(app.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for match in PYTHON_DATE_FORMAT.finditer(path.read_text(encoding="utf-8")):
                if match.group(2) not in NAMED_DATE_FORMATS | MONTH_NAMES:
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert offenders == []


def test_no_template_comment_spans_lines():
    """{# #} is a one-line comment: over two lines the template engine prints it, and the
    payment form showed its notes for developers to the assistants."""
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert offenders == []


def test_no_template_has_an_inline_script():
    offenders = []
    for path in templates():
        for match in SCRIPT_TAG.finditer(path.read_text()):
            attributes = match.group(1)
            if " src=" in f" {attributes}" or re.search(r"type=[\"']application/json[\"']", attributes):
                continue
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert offenders == []


def test_no_template_has_an_inline_style_attribute():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}"
        for path in templates()
        for match in STYLE_ATTRIBUTE.finditer(path.read_text())
    ]
    assert offenders == []


def test_base_loads_the_vendored_htmx_and_the_one_app_script():
    base = (TEMPLATES / "base.html").read_text()
    assert "{% static 'vendor/htmx.min.js' %}" in base
    assert "{% static 'js/app.js' %}" in base
    assert (STATIC / "vendor" / "htmx.min.js").exists()
    assert sorted(path.name for path in (STATIC / "js").glob("*.js")) == ["app.js"]


def test_colours_outside_root_are_tokens():
    """Every colour in the app's stylesheets is a var(--token) defined once in app.css's :root."""
    colour = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(")
    offenders = []
    for path in sorted((STATIC / "css").glob("*.css")):
        # The API docs' page, and the proposal document: WeasyPrint renders it into a PDF without
        # app.css, so it keeps its own print colours.
        if path.name in ("api_docs.css", "quote.css"):
            continue
        text = path.read_text()
        if path.name == "app.css":
            root_start = text.index(":root {")
            text = text[:root_start] + text[text.index("}", root_start) + 1 :]
        offenders += [f"{path.name}: {line.strip()}" for line in text.splitlines() if colour.search(line)]
    assert offenders == []


@pytest.fixture
def head(department, client):
    client.force_login(department.head)
    return department.head


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "url_name",
    ["home", "clients:list", "deals:kanban", "board", "reports:index", "targets:receivables"],
)
def test_pages_answer_with_a_strict_content_security_policy(client, head, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_login_page_has_the_policy_too(client, db):
    response = client.get(reverse("accounts:login"))
    assert "'unsafe-inline'" not in " ".join(policy_of(response)["script-src"])


def test_the_api_docs_keep_scripts_strict_and_serve_their_init_script_as_a_file(client, head):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    page = response.content.decode()
    assert "<script>" not in page and "<style>" not in page
    assert client.get("/api/docs/?script=").status_code == 200


def test_one_class_name_convention_without_app_prefixes_or_page_scopes():
    """Plain component names (.page-head, .badge, .report-table): no 'rp-' prefix, no .tg or
    .deals-page wrapper that rules hang from."""
    prefixed = re.compile(r"(?<![\w-])rp-[a-z]|\.tg\b|\.deals-page\b|class=\"(tg|deals-page)[\" ]")
    sources = list((STATIC / "css").glob("*.css")) + templates()
    offenders = [str(path.name) for path in sources if prefixed.search(path.read_text())]
    assert offenders == []


def test_every_page_names_its_icon_and_the_icon_is_served(client, db):
    """Without one, browsers ask for /favicon.ico on every first visit and log a 404."""
    page = client.get(reverse("accounts:login")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon, "base.html names no icon"
    answer = client.get(icon.group(1))
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content if answer.streaming else [answer.content]).startswith(b"<svg")
