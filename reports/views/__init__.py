"""Report pages by sub-domain: ``reports`` (the five report pages), ``runs`` (the overview
and report runs), ``alerts``, ``notifications`` and ``home`` (the dashboard at "/")."""

from reports.views.home import home

__all__ = ["home"]
