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
