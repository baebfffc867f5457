"""What a web process does once, before it serves: the work every worker would otherwise repeat
on its first requests, done in gunicorn's master before it forks (salesdept/gunicorn_conf.py).

A fresh worker spent about 240 ms of CPU on its first page and 10-40 ms more on the first of
each other page (the URL patterns, every template parsed, each language's catalogue read),
for each of the workers, after every start. Done in the master, the workers inherit the
result; ``gc.freeze()`` then keeps those objects out of every later collection (and their
memory pages shared between the workers). Nothing here touches the database: a connection
opened before the fork would be shared by every worker."""

from __future__ import annotations

import gc
from pathlib import Path

import django.forms
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

# Third-party templates the pages use (the rest are compiled when first used).
THIRD_PARTY_TEMPLATE_DIRS = ("django_tables2",)


def _template_names(directory: Path) -> list[str]:
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*.html"))


def project_template_names() -> list[str]:
    """The templates of the project's own directory and of its own apps (those in its tree)."""
    root = Path(settings.BASE_DIR).resolve()
    directories = [Path(path) for template in settings.TEMPLATES for path in template.get("DIRS", [])]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        own = path.is_relative_to(root) and "site-packages" not in path.parts  # not a venv inside
        if own or config.name in THIRD_PARTY_TEMPLATE_DIRS:
            directories.append(path / "templates")
    names: list[str] = []
    for directory in directories:
        if directory.is_dir():
            names.extend(_template_names(directory))
    return sorted(set(names))


def form_template_names() -> list[str]:
    """Django's form and widget templates, which the form renderer reads through Jinja2."""
    directory = Path(django.forms.__file__).parent / "jinja2"
    return sorted(str(path.relative_to(directory)) for path in directory.rglob("*.html"))


def warm_up() -> dict[str, int]:
    """Populate the URL patterns, read each language's catalogue and compile the templates;
    then freeze what was made. Returns how many of each it did."""
    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Deals")
    compiled = 0
    for name in project_template_names():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a partial another template includes by a name it builds, or an override
        compiled += 1
    renderer = get_default_renderer()
    forms = 0
    for name in form_template_names():
        try:
            renderer.get_template(name)
        except TemplateDoesNotExist:
            continue
        forms += 1
    connections.close_all()
    gc.collect()
    gc.freeze()
    return {"languages": len(settings.LANGUAGES), "templates": compiled, "form_templates": forms}
