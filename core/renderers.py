"""The form renderer (settings.FORM_RENDERER): Django's own form and widget templates through
Jinja2, every other one (the admin's widgets) through the Django template engine.

Django ships its form templates twice, for the Django engine and for Jinja2, written to give
the same HTML; the Jinja2 ones are compiled to Python and render a filter form's selects and
their options several times faster (each option is two template includes in the Django
engine). A template only the Django engine has, such as the admin's related-widget wrapper,
is found there."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import django.forms
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

# Templates of ours that stand in for Django's Jinja2 form templates of the same name (found
# first). core/jinja2/django/forms/widgets/select.html writes a select's options in place
# instead of two includes each (select_option.html, attrs.html), with the same markup: a select
# of 145 people rendered in 2.4 ms, now 0.7 (tests/core/test_form_renderer.py compares them).
OVERRIDES = Path(__file__).resolve().parent / "jinja2"


class FormsJinja2(Jinja2):
    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [OVERRIDES, Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {},
            }
        )


class FormRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = FormsJinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
