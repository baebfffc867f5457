"""The pages of bulk actions: the list's action bar posts the selection here; a confirmation
page shows what will change (and the action's parameters); confirming applies it through
core.bulk (one transaction), a refusal shows each row's reason, a large selection becomes a
job whose page follows its progress (htmx polling)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers

from core.bulk import (
    BulkInvalid,
    BulkRefused,
    bulk_start,
    export_selection,
    job_progress,
    read_request,
    resource_named,
)
from core.filters import parse_id
from core.http import safe_next
from core.models import BulkJob


def _next(request) -> str:
    return safe_next(request, "/")


def _payload(request, filters) -> dict:
    """The page's form as the API's payload: ``ids`` (checkboxes) or ``filter`` (the list's
    query, for "all matching"), ``action`` and ``p_<name>`` parameters."""
    post = request.POST
    data: dict = {"action": post.get("action", "")}
    if post.get("export"):
        data.update(action="export", params={"format": post["export"]})
    if post.get("all") == "1":
        query = QueryDict(post.get("filter", ""))
        data["filter"] = {
            key: values if len(values) > 1 else values[0]
            for key, values in query.lists()
            # the page's own parameters (page, sort, export…) are not filters
            if key in filters and key != "ordering" and any(values)
        }
    else:
        # an id as a number; anything else as sent, for the validation to name
        data["ids"] = [value if parse_id(value) is None else parse_id(value) for value in post.getlist("ids")]
    params = {key[2:]: value for key, value in post.items() if key.startswith("p_") and value != ""}
    if params and not post.get("export"):
        data["params"] = params
    return data


def _fields(action, user, values: dict, errors) -> list[dict]:
    """The action's parameters as form fields (a select for choices and people, a date, a text);
    none for an action that does not exist or the user may not use (its refusal says why)."""
    if action is None or action.params is None:
        return []
    fields = []
    for name, field in action.params(context={"user": user}).fields.items():
        choices = None
        if hasattr(field, "options_for"):
            choices = [(person.pk, str(person)) for person in field.options_for(user)]
        elif isinstance(field, serializers.ChoiceField):
            choices = list(field.choices.items())
        kind = (
            "date"
            if isinstance(field, serializers.DateField)
            else "select"
            if choices is not None
            else "text"
        )
        fields.append(
            {
                "name": f"p_{name}",
                "label": field.label or name.replace("_", " ").capitalize(),
                "kind": kind,
                "choices": choices,
                "value": str(values.get(name, "")),
                "required": field.required,
                "errors": errors.get(name, []) if isinstance(errors, dict) else [],
            }
        )
    return fields


@login_required
@require_POST
def bulk_page(request, resource: str):
    resource_ = resource_named(resource)
    data = _payload(request, resource_.filterset.base_filters)
    confirmed = request.POST.get("confirm") == "1"
    action = resource_.action(data["action"], request.user)
    context = {
        "resource_name": resource_.name,
        "resource_label": resource_.label,
        "action": action,
        "action_name": action.name if action else "",
        "action_label": action.label if action else "",
        "next": _next(request),
        "post": request.POST,
    }
    try:
        if action is not None and action.apply is None:
            return export_selection(request, read_request(resource_, data, request))
        if not confirmed:
            # The first step only checks the selection and the action; the parameters come now.
            bulk = read_request(resource_, data, request, check_params=False)
    except BulkInvalid as error:
        messages.error(request, " ".join(_flatten(error.errors)))
        return redirect(context["next"])
    except BulkRefused as error:
        context["refused"] = error.errors
        return render(request, "core/bulk_confirm.html", context, status=400)
    if not confirmed:
        context.update(total=len(bulk.ids), ids=bulk.ids, fields=_fields(action, request.user, {}, {}))
        return render(request, "core/bulk_confirm.html", context)
    return _apply(request, resource_, data, context)


def _flatten(errors) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _flatten(value)]
    return [str(errors)]


def _apply(request, resource, data, context):
    status = 200
    try:
        bulk = read_request(resource, data, request)
        outcome = bulk_start(request=request, bulk=bulk)
    except BulkInvalid as error:
        params_errors = error.errors.get("params", {})
        context["errors"] = _flatten({k: v for k, v in error.errors.items() if k != "params"})
        if not isinstance(params_errors, dict):
            context["errors"] += _flatten(params_errors)
            params_errors = {}
        context["fields"] = _fields(context["action"], request.user, data.get("params", {}), params_errors)
        status = 400
    except BulkRefused as error:
        context["refused"] = error.errors
        context["fields"] = _fields(context["action"], request.user, data.get("params", {}), {})
        status = 400
    else:
        if outcome.job is not None:
            return redirect("bulk_job", pk=outcome.job.pk)
        messages.success(
            request,
            _("%(action)s: done for %(count)d rows.")
            % {"action": context["action_label"], "count": outcome.total},
        )
        return redirect(context["next"])
    ids = data.get("ids") or []
    context.update(total=len(ids), ids=ids)
    return render(request, "core/bulk_confirm.html", context, status=status)


@login_required
@require_GET
def bulk_job_page(request, pk: int):
    job = get_object_or_404(BulkJob.objects.visible_to(request.user), pk=pk)
    context = {"job": job, "done": job_progress(job)}
    if request.htmx:
        return render(request, "core/partials/bulk_job.html", context)
    return render(request, "core/bulk_job.html", context)


def bulk_context(request, name: str, *, table=None, total: int = 0, filter_query: str = "") -> dict:
    """What a list page's action bar needs (no query: the offered actions are role rules);
    ``table`` then shows a checkbox per row."""
    resource = resource_named(name)
    if table is not None:
        table.bulk_select = True
    offered = resource.offered(request.user)
    return {
        "bulk": name,
        # (name, label) of the actions that change rows; the export has its own buttons
        "bulk_actions": [(action.name, action.label) for action in offered if action.apply is not None],
        "bulk_exports": resource.table is not None,
        "bulk_total": total,
        "bulk_filter": filter_query,
    }
