"""The form renderer (settings.FORM_RENDERER): Django's own form and widget templates through
Jinja2, every other one (the admin's widgets) through the Django template engine.

Django ships its form templates twice, for the Django engine and for Jinja2, written to give
the same HTML; the Jinja2 ones are compiled to Python and render a filter form's selects and
their options several times faster (each option is two template includes in the Django
engine). A template only the Django engine has, such as the admin's related-widget wrapper,
is found there."""

from __future__ import annotations

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
