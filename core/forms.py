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
