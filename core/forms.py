"""Form helpers shared by every app's pages (imports no app)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import RecordChanged, record_changed_message
from core.filters import parse_id


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


# --- Edit forms that do not undo someone else's change --------------------------------------
# An edit form sent all its fields, so a save wrote back the values the page had shown for the
# fields the user left alone: a colleague's change made meanwhile was silently undone (a lead
# saving a deal's close date put back the amount the rep had just corrected). These forms also
# carry what the page showed (Django's hidden initial values): only the fields the user changed
# are written, and a field someone else changed meanwhile as well is a conflict (409), which
# shows the form again with the user's changes and everything else as it is now.


def remember_shown_values(form: forms.Form) -> None:
    """Render each field's shown value beside it (``initial-<name>``), for ``edited_values``.
    Single-value fields only (text, numbers, dates, times, choices, a record): a field of
    several values or a date-time is left out, so it is written as sent and never compared."""
    for field in form.fields.values():
        several = getattr(field.widget, "allow_multiple_selected", False)
        if not (field.disabled or several or isinstance(field, forms.DateTimeField)):
            field.show_hidden_initial = True


def _shown(form: forms.Form, name: str):
    """The value the page showed for ``name``, or ``_UNKNOWN`` when the form did not carry it
    (a page opened before the form carried them) or it is not a value the field takes (the
    page cannot have shown it)."""
    key = form.add_initial_prefix(name)
    field = form.fields[name]
    if key not in form.data or not field.show_hidden_initial:
        return _UNKNOWN
    raw = field.hidden_widget().value_from_datadict(form.data, form.files, key)
    if isinstance(field, forms.ModelChoiceField):
        # The record's id as shown, whether or not it may still be chosen: a deal or an owner
        # that left the choices since was still shown, and a colleague may have changed it.
        text = str(raw or "").strip()
        number = parse_id(text)
        return None if not text else _UNKNOWN if number is None else number
    try:
        value = field.to_python(raw)
    except ValidationError:
        return _UNKNOWN
    if (
        isinstance(field, forms.ChoiceField)
        and value not in field.empty_values
        and not field.valid_value(value)
    ):
        return _UNKNOWN
    return value


_UNKNOWN = object()


def edited_values(form: forms.Form, values: dict) -> tuple[dict, dict]:
    """Of ``values`` (what a valid form gives its service, by field name), the ones the user
    changed on the page, and for each of those the value the page showed them (for the
    service's compare-and-set, ``core.locks.ensure_unchanged``). A field the form does not
    know the shown value of (not sent, or not a value the field takes) counts as changed and
    is not compared; a value that is no field's (one the form computes) is passed as it is."""
    changed = set(form.changed_data) | {
        name for name in form.fields if form.add_initial_prefix(name) not in form.data
    }
    edits = {name: value for name, value in values.items() if name in changed or name not in form.fields}
    shown = {name: _shown(form, name) for name in edits if name in form.fields}
    return edits, {name: value for name, value in shown.items() if value is not _UNKNOWN}


def _as_posted(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rebased_data(form: forms.Form, current: dict, edits: dict):
    """The form's data after a conflict: what the user changed (``edits``) as they typed it,
    every other field as it is now (``current``), and the shown values as they are now, so a
    second save writes the user's changes over the colleague's, knowingly, and nothing else."""
    data = form.data.copy()
    for name in form.fields:
        if name not in current:
            continue
        posted = _as_posted(current[name])
        data[form.add_initial_prefix(name)] = posted
        if name not in edits:
            data[form.add_prefix(name)] = posted
    return data


def save_edits(form: forms.Form, values: dict, save, reopen) -> tuple[forms.Form, int | None]:
    """Saves what the user changed of a valid edit form: ``save(edits, shown)`` calls the
    service, whose compare-and-set refuses a field someone else changed meanwhile with a
    ``RecordChanged``. Answers the form to show and its status: ``(form, None)`` when saved;
    the form with the service's messages and 400 for its ``ValidationError``; on a field
    changed meanwhile, ``reopen(data)``'s form (built over the record read anew; ``data`` None
    for its values as they are now), bound to the user's changes over the record as it is now,
    with a message naming the fields by the form's labels, and 409. Other conflicts (the record
    removed or closed meanwhile) go to the caller: the 409 page."""
    edits, shown = edited_values(form, values)
    try:
        save(edits, shown)
    except ValidationError as error:
        apply_service_errors(form, error)
        return form, 400
    except RecordChanged as conflict:
        message = record_changed_message(
            [form.fields[name].label if name in form.fields else name for name in conflict.fields]
        )
        again = reopen(rebased_data(form, reopen(None).initial, edits))
        again.is_valid()
        again.add_error(None, message)
        return again, 409
    return form, None


def edit_page(
    request,
    form: forms.Form,
    *,
    values,
    save,
    reopen,
    done: str,
    template: str,
    context: dict,
    saved: str = "",
):
    """An edit page: on a valid POST, :func:`save_edits` (``values(form)`` its service's
    keyword arguments); saved, the ``saved`` message (``"Saved."`` by default) and a redirect to
    ``done``; else the page with the form (400 for its errors, 409 for a field changed
    meanwhile, 200 on GET)."""
    status = None
    if request.method == "POST" and form.is_valid():
        form, status = save_edits(form, values(form), save, reopen)
        if status is None:
            messages.success(request, saved or _("Saved."))
            return redirect(done)
    return render(
        request, template, {**context, "form": form}, status=status or (400 if form.errors else 200)
    )
