"""Form helpers shared by every app's pages (imports no app)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: the messages for a field the form has
    next to that field, everything else (no field named, ``__all__``, or a field the form
    does not show) above the form. The errors keep their codes and parameters."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        form.add_error(target, errors)


# The browser's own date and time pickers read and write ISO values whatever the page's
# language: a value written in the language's input format ("2027/01/04" in Chinese,
# "04.01.2027" in Russian) shows as an empty picker, and the form then said "required".
# Every app's date, time and date-time fields use these.
def date_input(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def time_input(**attrs) -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", **attrs}, format="%H:%M")


def datetime_local_input(**attrs) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")
