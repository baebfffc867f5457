"""Helpers for reading rendered pages in tests."""

import re
from html.parser import HTMLParser

# An attribute that makes the browser fetch something: a script, a style sheet, an image, a frame.
FETCHED = re.compile(r'\b(?:src|href|srcset|data-src)\s*=\s*["\']([^"\']*)["\']', re.I)
OFF_SITE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
# An address of a CDN anywhere in the page (in a script's settings as well as an attribute):
# a host name holding "cdn". A token or an id cannot hold the "//" before a host.
CDN_HOST = re.compile(r"//[a-z0-9.-]*cdn[a-z0-9.-]*", re.I)


def off_site_assets(page: str) -> list[str]:
    """Every address in the page's src/href attributes that points at another host, and every
    CDN host named anywhere in it: the pages must work with no internet, from our own static
    files."""
    fetched = [url for url in FETCHED.findall(page) if OFF_SITE.match(url)]
    return fetched + [host for host in CDN_HOST.findall(page) if not any(host in url for url in fetched)]


class _FormReader(HTMLParser):
    """What a browser would send for the page's post form with the class ``form_class``: its
    enabled inputs (hidden ones included), checked boxes, each select's selected option (its
    first when none is) and text areas."""

    def __init__(self, form_class: str):
        super().__init__()
        self.form_class = form_class
        self.values: dict[str, str] = {}
        self.in_form = self.done = self.chosen = False
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_class in (attrs.get("class") or "").split() and not self.done:
            self.in_form = True
        if not self.in_form or ("name" not in attrs and tag != "option") or "disabled" in attrs:
            return
        if tag == "input":
            self._input(attrs)
        elif tag == "select":
            self.select, self.chosen = attrs["name"], False
        elif tag == "option" and self.select:
            self._option(attrs)
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = ""

    def _input(self, attrs):
        kind = attrs.get("type")
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.values[attrs["name"]] = attrs.get("value") or "on"
        elif kind not in ("submit", "button"):
            self.values[attrs["name"]] = attrs.get("value") or ""

    def _option(self, attrs):
        if self.chosen or ("selected" not in attrs and self.select in self.values):
            return
        self.values[self.select] = attrs.get("value") or ""
        self.chosen = "selected" in attrs

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.values[self.textarea] = self.values[self.textarea].removeprefix("\n")
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def posted_form(page: str, form_class: str, **changes) -> dict:
    """The form of ``page`` with the class ``form_class`` as the browser would send it, with
    ``changes`` typed in."""
    reader = _FormReader(form_class)
    reader.feed(page)
    # Browsers send every value's line breaks as CRLF (HTML's form data set), hidden ones too.
    crlf = {name: value.replace("\r\n", "\n").replace("\n", "\r\n") for name, value in reader.values.items()}
    return {**crlf, **changes}


def opened_by(user, url: str):
    """A browser signed in as ``user`` and the page at ``url`` it opened (200)."""
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(user)
    page = browser.get(url)
    assert page.status_code == 200, (url, page.status_code)
    return browser, page.content.decode()
