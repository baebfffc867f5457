"""Bulk actions on a list's rows, once for every list.

An app declares a ``BulkResource`` (its model, its list's FilterSet and table, its actions)
and registers it from its ``AppConfig.ready()``; core imports no app. Each ``BulkAction``
applies one row through the app's own service (the same rules as the single action), and
``bulk_apply`` runs every row in ONE transaction: a row the service refuses (or the user may
not see: it reads exactly like a missing id) is collected with its reason, and when any row
is refused the whole transaction rolls back and ``BulkRefused`` lists id → message.

More than ``BULK_ASYNC_THRESHOLD`` rows (500) become a ``BulkJob`` run by one Celery task
(``core.tasks.bulk_job_run``, eager without a broker); its one transaction is invisible until
it commits, so the runner publishes its progress in the cache (``job_progress``).

The payload is the API's and the pages' alike: ``{"ids": [...]}`` or ``{"filter": {...the
list's query parameters...}}``, ``"action"`` and ``"params"`` (read by ``read_request``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from core.errors import Conflict
from core.filters import MAX_ID
from core.models import BulkJob, BulkJobStatus

logger = logging.getLogger(__name__)

MAX_IDS = 10_000
BULK_JOB_TASK = "core.bulk_job_run"
PROGRESS_EVERY = 50
EXPORT = "export"
EXPORT_FORMATS = ("csv", "xlsx")


def async_threshold() -> int:
    """More rows than this run as a Celery task (settings.BULK_ASYNC_THRESHOLD, 500)."""
    return getattr(settings, "BULK_ASYNC_THRESHOLD", 500)


@dataclass(frozen=True)
class BulkAction:
    """One action of a list: ``apply(by=user, record=row, params=validated)`` changes one row
    through the app's service; ``params`` is a DRF serializer class for the parameters
    (context: ``{"user": by}``), ``allowed(user)`` whether the user is offered it at all."""

    name: str
    label: Any
    apply: Callable[..., Any] | None
    params: type[serializers.Serializer] | None = None
    allowed: Callable[[Any], bool] = lambda user: True
    confirm: Any = ""


@dataclass
class BulkResource:
    """A list's bulk actions. ``rows(user)`` are the rows the user sees (the model's
    ``visible_to``); ``list_rows(request)`` the list page's selector (what the table shows and
    exports); ``filterset`` the list's FilterSet (the ``filter`` payload is its query)."""

    name: str
    label: Any
    rows: Callable[[Any], Any]
    filterset: type
    list_rows: Callable[[Any], Any] | None = None
    table: type | None = None
    actions: dict[str, BulkAction] = field(default_factory=dict)

    def add(self, action: BulkAction) -> BulkAction:
        self.actions[action.name] = action
        return action

    def offered(self, user) -> list[BulkAction]:
        """The actions ``user`` may start here, the export last (when the list has a table)."""
        found = [action for action in self.actions.values() if action.allowed(user)]
        if self.table is not None:
            found.append(export_action())
        return found

    def action(self, name: str, user) -> BulkAction | None:
        return next((action for action in self.offered(user) if action.name == name), None)


class ExportParams(serializers.Serializer):
    format = serializers.ChoiceField(choices=EXPORT_FORMATS, default="csv", label=gettext_lazy("Format"))


def export_action() -> BulkAction:
    return BulkAction(name=EXPORT, label=gettext_lazy("Export"), apply=None, params=ExportParams)


_REGISTRY: dict[str, BulkResource] = {}


def register(resource: BulkResource) -> BulkResource:
    """Called from an app's ``AppConfig.ready()``; registering a name twice replaces it."""
    _REGISTRY[resource.name] = resource
    return resource


def resource_named(name: str) -> BulkResource:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise Http404 from None


# --------------------------------------------------------------------------- errors


class BulkRefused(Exception):
    """At least one row was refused: nothing changed. ``errors`` maps id → reason."""

    def __init__(self, errors: Mapping[int, str]):
        self.errors = dict(sorted(errors.items()))
        super().__init__(_("%(count)d rows were refused; nothing was changed.") % {"count": len(self.errors)})

    @property
    def message(self) -> str:
        return str(self.args[0])


class BulkInvalid(Exception):
    """The request itself is invalid (action, params, ids or filter): ``errors`` by key."""

    def __init__(self, errors: Mapping[str, Any]):
        self.errors = dict(errors)
        super().__init__(self.errors)


def not_visible_message() -> str:
    return _("No such record, or one you may not see.")


def reason(error: Exception) -> str:
    """One line for a refused row, from what the service raised."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(str(message) for messages in error.message_dict.values() for message in messages)
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, Http404):
        return not_visible_message()
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not change this record.")
    return str(error)


REFUSALS = (ValidationError, PermissionDenied, Http404, Conflict)


# --------------------------------------------------------------------------- reading a request


TOP_LEVEL_KEYS = {"ids", "filter", "action", "params"}


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _read_ids(value) -> list[int]:
    if not isinstance(value, list):
        raise BulkInvalid({"ids": [_("Send the ids as a list of whole numbers.")]})
    if not value:
        raise BulkInvalid({"ids": [_("Select at least one row.")]})
    if len(value) > MAX_IDS:
        raise BulkInvalid(
            {
                "ids": [
                    _("At most %(limit)d rows at a time (%(count)d sent).")
                    % {"limit": MAX_IDS, "count": len(value)}
                ]
            }
        )
    bad = [item for item in value if not _is_id(item)]
    if bad:
        raise BulkInvalid(
            {
                "ids": [
                    _("Every id must be a positive whole number; %(value)s is not.")
                    % {"value": repr(bad[0])[:40]}
                ]
            }
        )
    return sorted(set(value))


def _scalar(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _filter_query(resource: BulkResource, value) -> QueryDict:
    if not isinstance(value, dict):
        raise BulkInvalid({"filter": [_("Send the filter as an object of the list's query parameters.")]})
    known = set(resource.filterset.base_filters) - {"ordering"}
    unknown = sorted(str(key)[:40] for key in value if key not in known)
    if unknown:
        raise BulkInvalid(
            {
                "filter": [
                    _("Unknown filter: %(names)s. Known: %(known)s.")
                    % {"names": ", ".join(unknown), "known": ", ".join(sorted(known))}
                ]
            }
        )
    query = QueryDict(mutable=True)
    for key, item in value.items():
        items = item if isinstance(item, list) else [item]
        if len(items) > 100 or not all(_scalar(part) for part in items):
            raise BulkInvalid(
                {
                    "filter": [
                        _("The filter %(name)s takes a value or a short list of values.") % {"name": key}
                    ]
                }
            )
        query.setlist(
            key,
            [
                "" if part is None else str(part).lower() if isinstance(part, bool) else str(part)
                for part in items
            ],
        )
    return query


def _ids_of_filter(resource: BulkResource, query: QueryDict, request) -> list[int]:
    rows = resource.rows(request.user)
    filterset = resource.filterset(query, queryset=rows, request=request)
    if not filterset.is_valid():
        raise BulkInvalid(
            {"filter": [f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()]}
        )
    ids = list(filterset.qs.order_by("pk").values_list("pk", flat=True).distinct()[: MAX_IDS + 1])
    if not ids:
        raise BulkInvalid({"filter": [_("No row matches the filter.")]})
    if len(ids) > MAX_IDS:
        raise BulkInvalid(
            {
                "filter": [
                    _("The filter matches more than %(limit)d rows; narrow it down.") % {"limit": MAX_IDS}
                ]
            }
        )
    return ids


def validate_params(action: BulkAction, params, user) -> dict:
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise BulkInvalid({"params": [_("Send the parameters as an object.")]})
    if action.params is None:
        if params:
            raise BulkInvalid({"params": [_("This action takes no parameters.")]})
        return {}
    serializer = action.params(data=params, context={"user": user})
    unknown = sorted(str(key)[:40] for key in params if key not in serializer.fields)
    if unknown:
        raise BulkInvalid({"params": [_("Unknown parameter: %(names)s.") % {"names": ", ".join(unknown)}]})
    if not serializer.is_valid():
        raise BulkInvalid({"params": serializer.errors})
    return serializer.validated_data


@dataclass
class BulkRequest:
    resource: BulkResource
    action: BulkAction
    raw_params: dict
    params: dict
    ids: list[int]
    filter: dict


def read_request(resource: BulkResource, data, request, *, check_params: bool = True) -> BulkRequest:
    """The payload checked as a whole: BulkInvalid (a 400, nothing changed) for an unknown
    action, bad parameters, a bad id list, an unknown filter or anything else malformed."""
    if not isinstance(data, Mapping):
        raise BulkInvalid(
            {"non_field_errors": [_("Send a JSON object with ids or filter, action and params.")]}
        )
    unknown = sorted(str(key)[:40] for key in data if key not in TOP_LEVEL_KEYS)
    if unknown:
        raise BulkInvalid(
            {"non_field_errors": [_("Unknown field: %(names)s.") % {"names": ", ".join(unknown)}]}
        )
    name = data.get("action")
    action = resource.action(name, request.user) if isinstance(name, str) else None
    if action is None:
        offered = ", ".join(action.name for action in resource.offered(request.user)) or "—"
        raise BulkInvalid({"action": [_("Unknown action; choose one of: %(names)s.") % {"names": offered}]})
    params = validate_params(action, data.get("params"), request.user) if check_params else {}
    has_ids, has_filter = "ids" in data, "filter" in data
    if has_ids == has_filter:
        raise BulkInvalid({"non_field_errors": [_("Send either ids or filter, not both and not neither.")]})
    if has_ids:
        ids, query = _read_ids(data["ids"]), {}
    else:
        query = data["filter"]
        ids = _ids_of_filter(resource, _filter_query(resource, query), request)
    raw = data.get("params") or {}
    return BulkRequest(resource=resource, action=action, raw_params=raw, params=params, ids=ids, filter=query)


# --------------------------------------------------------------------------- applying


def bulk_apply(
    *,
    by,
    resource: BulkResource,
    action: BulkAction,
    params: dict,
    ids: list[int],
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Apply ``action`` to every row of ``ids`` in one transaction, in pk order (locks are
    taken in one order everywhere). Any refused row rolls everything back: ``BulkRefused``."""
    ids = sorted(set(ids))
    errors: dict[int, str] = {}
    with transaction.atomic():
        rows = resource.rows(by).in_bulk(ids)
        for done, pk in enumerate(ids, start=1):
            record = rows.get(pk)
            if record is None:
                errors[pk] = not_visible_message()
            else:
                try:
                    with transaction.atomic():
                        action.apply(by=by, record=record, params=params)
                except REFUSALS as error:
                    errors[pk] = reason(error)
            if on_progress is not None and (done % PROGRESS_EVERY == 0 or done == len(ids)):
                on_progress(done)
        if errors:
            raise BulkRefused(errors)
    return len(ids)


def export_selection(request, bulk: BulkRequest):
    """The selected rows as CSV or XLSX through the list's table (its export columns); a
    hidden id is a refused row, as for any action."""
    from core.tables import export_table

    resource = bulk.resource
    rows = resource.list_rows(request) if resource.list_rows else resource.rows(request.user)
    rows = rows.filter(pk__in=bulk.ids)
    found = set(rows.values_list("pk", flat=True))
    missing = {pk: not_visible_message() for pk in bulk.ids if pk not in found}
    if missing:
        raise BulkRefused(missing)
    return export_table(resource.table, request, rows, bulk.params.get("format", "csv"))


@dataclass
class BulkOutcome:
    total: int
    job: BulkJob | None = None


def bulk_start(*, request, bulk: BulkRequest) -> BulkOutcome:
    """Apply now (up to the threshold) or record a job and queue its task after the commit."""
    if len(bulk.ids) <= async_threshold():
        total = bulk_apply(
            by=request.user, resource=bulk.resource, action=bulk.action, params=bulk.params, ids=bulk.ids
        )
        return BulkOutcome(total=total)
    job = BulkJob.objects.create(
        created_by=request.user,
        resource=bulk.resource.name,
        action=bulk.action.name,
        params=bulk.raw_params,
        ids=bulk.ids,
        filter=bulk.filter,
        total=len(bulk.ids),
    )
    transaction.on_commit(lambda: current_app.tasks[BULK_JOB_TASK].delay(job.pk), robust=False)
    return BulkOutcome(total=len(bulk.ids), job=job)


def _progress_key(job_id: int) -> str:
    return f"bulk-job:{job_id}:done"


def job_progress(job: BulkJob) -> int:
    """Rows done so far: the cache while it runs (its transaction is not committed yet)."""
    if job.status == BulkJobStatus.RUNNING:
        return int(cache.get(_progress_key(job.pk)) or 0)
    return job.done


def _finish(job: BulkJob, **values) -> None:
    values["finished_at"] = timezone.now()
    BulkJob.objects.filter(pk=job.pk).update(**values)
    cache.delete(_progress_key(job.pk))


def bulk_job_run(job_id: int) -> str:
    """The task's body: one job, one transaction. A job already finished is left alone (a
    redelivered task); a job whose worker died is run again (its transaction rolled back)."""
    job = BulkJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return job.status if job else "missing"
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJobStatus.RUNNING)
    user = job.created_by
    resource = _REGISTRY.get(job.resource)
    action = resource.action(job.action, user) if resource and user.is_active else None
    if action is None or action.apply is None:
        _finish(job, status=BulkJobStatus.FAILED, message=_("This action is no longer available to you."))
        return BulkJobStatus.FAILED
    try:
        params = validate_params(action, job.params, user)
        total = bulk_apply(
            by=user,
            resource=resource,
            action=action,
            params=params,
            ids=job.ids,
            on_progress=lambda done: cache.set(_progress_key(job.pk), done, 3600),
        )
    except BulkInvalid as error:
        _finish(job, status=BulkJobStatus.FAILED, message=str(error.errors))
        return BulkJobStatus.FAILED
    except BulkRefused as error:
        _finish(
            job,
            status=BulkJobStatus.REFUSED,
            errors={str(k): v for k, v in error.errors.items()},
            message=error.message,
        )
        return BulkJobStatus.REFUSED
    except Exception:
        logger.exception("bulk job %s failed", job.pk)
        _finish(job, status=BulkJobStatus.FAILED, message=_("The job failed; nothing was changed."))
        raise
    _finish(job, status=BulkJobStatus.DONE, done=total)
    return BulkJobStatus.DONE
