"""Model validation for the services: ``full_clean`` without asking the database about the
related objects a record already holds.

Django's ``Model.full_clean`` checks every foreign key with a query (``SELECT 1 … WHERE id =
…``), even when the service has just read the related row itself: the client it locked, the
user who is writing, the stage the form chose. Those checks were 2–4 of a logged call's 18
queries. Here a relation is skipped when the record holds a saved object for it (read from the
database in this request) and the field limits no choices; a bare id, an unsaved object or a
limited field is still checked as Django checks it. A row deleted in between is refused by the
database's own foreign key constraint, as it would have been after Django's check too."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


def held_relations(instance: models.Model) -> set[str]:
    """The foreign keys whose saved related object ``instance`` already holds."""
    held = set()
    for field in instance._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one) or field.remote_field.limit_choices_to:
            continue
        if not field.is_cached(instance):
            continue
        related = field.get_cached_value(instance)
        if related is not None and related.pk is not None and not related._state.adding:
            held.add(field.name)
    return held


def full_clean(
    instance: models.Model, *, exclude: Iterable[str] = (), validate_constraints: bool = True
) -> None:
    """``instance.full_clean(exclude=..., validate_constraints=...)``, minus the existence query
    of each held relation: field errors, ``clean()``'s, uniqueness and constraints gathered into
    one ValidationError as Django gathers them (uniqueness and constraints checked for the
    fields that passed and are not excluded)."""
    excluded = set(exclude)
    errors: dict = {}
    try:
        instance.clean_fields(exclude=excluded | held_relations(instance))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    skipped = excluded | {name for name in errors if name != NON_FIELD_ERRORS}
    checks = [instance.validate_unique]
    if validate_constraints:
        checks.append(instance.validate_constraints)
    for check in checks:
        try:
            check(exclude=skipped)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
