"""System checks of the project's own settings (run by `manage.py check [--deploy]`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_check(app_configs=None, **kwargs):
    """E-mails link back to the site with absolute URLs built from SITE_URL, so production
    needs a real, absolute one (a relative or empty one gives links that open nothing)."""
    value = getattr(settings, "SITE_URL", "")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [
            Error(
                "SITE_URL must be the site's absolute address, e.g. https://crm.example.com",
                hint="Set SITE_URL in the environment; e-mails link to pages through it.",
                id="core.E001",
            )
        ]
    if parts.scheme != "https":
        return [Warning("SITE_URL should use https in production.", id="core.W001")]
    return []
