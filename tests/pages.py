"""Helpers for reading rendered pages in tests."""

import re

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


class _FormReader:
    """What a browser would send for the page's post form with the class ``form_class``: its
    inputs (hidden ones included), selected options and text areas, as the page wrote them."""

    def __init__(self, page: str, form_class: str):
        from html.parser import HTMLParser

        self.values: dict[str, str] = {}
        reader = self

        class Parser(HTMLParser):
            in_form = done = False
            select = textarea = None

            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "form" and form_class in (attrs.get("class") or "").split() and not self.done:
                    self.in_form = True
                if not self.in_form or "name" not in attrs and tag != "option":
                    return
                if tag == "input" and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
                    reader.values[attrs["name"]] = attrs.get("value") or ""
                elif tag == "select":
                    self.select = attrs["name"]
                    reader.values.setdefault(self.select, "")
                elif tag == "option" and self.select and "selected" in attrs:
                    reader.values[self.select] = attrs.get("value") or ""
                elif tag == "textarea":
                    self.textarea = attrs["name"]
                    reader.values[self.textarea] = ""

            def handle_data(self, data):
                if self.textarea:
                    reader.values[self.textarea] += data

            def handle_endtag(self, tag):
                if tag == "select":
                    self.select = None
                elif tag == "textarea":
                    if self.textarea and reader.values[self.textarea].startswith("\n"):
                        reader.values[self.textarea] = reader.values[self.textarea][1:]
                    self.textarea = None
                elif tag == "form" and self.in_form:
                    self.in_form, self.done = False, True

        Parser().feed(page)


def posted_form(page: str, form_class: str, **changes) -> dict:
    """The form of ``page`` with the class ``form_class`` as the browser would send it, with
    ``changes`` typed in."""
    return {**_FormReader(page, form_class).values, **changes}
