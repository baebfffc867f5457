"""The select template standing in for Django's (core/jinja2/django/forms/widgets/select.html)
writes the same HTML as Django's own Jinja2 templates, for every kind of select."""

import pytest
from django import forms
from django.forms.renderers import Jinja2

from core.renderers import FormRenderer

GROUPED = [
    ("", "---------"),
    ("Fruit", [("apple", "Apple <green>"), ("pear", 'Pear "Williams"')]),
    ("Nuts", [("1", "Hazelnut & co")]),
    ("x", "Plain"),
]


class OtherOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


WIDGETS = [
    (forms.Select(choices=GROUPED), "pear"),
    (forms.Select(choices=GROUPED, attrs={"class": "mini", "disabled": True, "data-x": False}), "1"),
    (forms.Select(choices=[("", "—")]), None),
    (forms.SelectMultiple(choices=GROUPED), ["apple", "x"]),
    (forms.NullBooleanSelect(), True),
    (OtherOption(choices=GROUPED), "x"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
@pytest.mark.parametrize("attrs", [{}, {"id": "id_owner", "aria-invalid": "true", "required": True}])
def test_a_select_is_written_as_djangos_own_templates_write_it(widget, value, attrs):
    ours = widget.render("owner", value, attrs=attrs, renderer=FormRenderer())
    django_s = widget.render("owner", value, attrs=attrs, renderer=Jinja2())
    assert ours == django_s
    assert ours.count("<option") >= 1 or isinstance(widget, OtherOption)


def test_the_option_is_written_in_place_not_included():
    template = FormRenderer().get_template("django/forms/widgets/select.html")
    assert "core/jinja2" in template.origin.name
