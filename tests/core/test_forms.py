"""core.forms.apply_service_errors: a service's ValidationError lands on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import apply_service_errors


class AmountForm(forms.Form):
    amount = forms.IntegerField()
    note = forms.CharField(required=False)


def bound_form() -> AmountForm:
    form = AmountForm(data={"amount": "5", "note": "hello"})
    assert form.is_valid()
    return form


def test_a_field_error_goes_next_to_its_field_and_out_of_cleaned_data():
    form = bound_form()

    apply_service_errors(form, ValidationError({"amount": "Too much for this client."}))

    assert form.errors == {"amount": ["Too much for this client."]}
    assert form.non_field_errors() == []
    assert form.cleaned_data == {"note": "hello"}


def test_a_field_the_form_does_not_show_goes_above_the_form():
    form = bound_form()

    apply_service_errors(
        form,
        ValidationError({"owner": ["The owner has left."], "amount": ["Too much.", "Not a multiple of 10."]}),
    )

    assert form.errors == {
        "__all__": ["The owner has left."],
        "amount": ["Too much.", "Not a multiple of 10."],
    }
    assert form.non_field_errors() == ["The owner has left."]


def test_all_fields_errors_go_above_the_form():
    form = bound_form()

    apply_service_errors(form, ValidationError({"__all__": ["The deal is closed."]}))

    assert form.errors == {"__all__": ["The deal is closed."]}


def test_an_error_without_fields_goes_above_the_form_with_every_message():
    form = bound_form()

    apply_service_errors(form, ValidationError(["First problem.", "Second problem."]))

    assert form.errors == {"__all__": ["First problem.", "Second problem."]}
    assert form.cleaned_data == {"amount": 5, "note": "hello"}


def test_codes_and_parameters_are_kept():
    form = bound_form()

    apply_service_errors(
        form,
        ValidationError(
            {"amount": ValidationError("At most %(limit)s.", code="over_limit", params={"limit": 3})}
        ),
    )
    apply_service_errors(form, ValidationError("Locked.", code="locked"))

    assert form.errors == {"amount": ["At most 3."], "__all__": ["Locked."]}
    assert form.has_error("amount", code="over_limit")
    assert form.has_error("__all__", code="locked")
