"""Helpers for reading rendered pages in tests."""

import re

# An attribute that makes the browser fetch something: a script, a style sheet, an image, a frame.
FETCHED = re.compile(r'\b(?:src|href|srcset|data-src)\s*=\s*["\']([^"\']*)["\']', re.I)
OFF_SITE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def off_site_assets(page: str) -> list[str]:
    """Every address in the page's src/href attributes that points at another host (a CDN
    included): the pages must work with no internet, from our own static files."""
    return [url for url in FETCHED.findall(page) if OFF_SITE.match(url)]
