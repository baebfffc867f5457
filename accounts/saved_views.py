"""Saved views: a list's filters and sort under a name, private or shared.

Each list that offers them registers itself (from its app's ``ready()``) with the URL name of
its page and the basename of its API list, so ``accounts`` needs to import none of them:
the page shows its views as tabs (``{% saved_views "deals" %}``), and ``?view=<id>`` on the
API list applies the view's parameters (``SavedViewFilter``), the request's own overriding."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend

from accounts.models import SavedView, User, ViewScope
from accounts.roles import is_head, is_lead

# Parameters a view never keeps: the page, exports, the view itself, form plumbing.
NOT_SAVED = {"page", "view", "export", "csrfmiddlewaretoken", "format"}
MAX_VIEWS_PER_LIST = 50


@dataclass(frozen=True)
class SavedList:
    key: str
    page: str  # URL name of the list page
    api_basename: str  # router basename of its API list


LISTS: dict[str, SavedList] = {}


def register_list(*, key: str, page: str, api_basename: str) -> None:
    LISTS[key] = SavedList(key=key, page=page, api_basename=api_basename)


def clean_query(query: str) -> str:
    """The query string without what a view never keeps, in a stable order; bounded."""
    if not isinstance(query, str) or len(query) > 2000:
        raise ValidationError({"query": _("These filters are too long to save.")})
    params = QueryDict(query.lstrip("?"))
    pairs = [
        (name, value)
        for name in sorted(params)
        if name not in NOT_SAVED
        for value in params.getlist(name)
        if value != ""
    ]
    cleaned = urlencode(pairs)
    if len(cleaned) > 2000:
        raise ValidationError({"query": _("These filters are too long to save.")})
    return cleaned


def may_share(user: User, scope: str) -> bool:
    """Everybody keeps private views; a lead shares with their team, the head with everyone."""
    if scope == ViewScope.PRIVATE:
        return True
    if scope == ViewScope.TEAM:
        return is_lead(user) and user.team_id is not None
    return scope == ViewScope.DEPARTMENT and is_head(user)


def scopes_for(user: User) -> list[tuple[str, str]]:
    return [(value, label) for value, label in ViewScope.choices if may_share(user, value)]


@transaction.atomic
def saved_view_create(
    *, by: User, list_key: str, name: str, query: str, scope: str = ViewScope.PRIVATE
) -> SavedView:
    errors = {}
    if list_key not in LISTS:
        errors["list_key"] = _("This list cannot keep saved views.")
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = _("Name the view.")
    elif len(name) > 60:
        errors["name"] = _("Keep the name under 60 characters.")
    elif "\x00" in name:  # as every form field refuses it (PostgreSQL would not store it)
        errors["name"] = ProhibitNullCharactersValidator.message
    if scope not in ViewScope.values:
        errors["scope"] = _("Choose who sees the view.")
    elif not may_share(by, scope):
        errors["scope"] = _("You may not share views that widely.")
    try:
        query = clean_query(query)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if not errors and SavedView.objects.filter(owner=by, list_key=list_key).count() >= MAX_VIEWS_PER_LIST:
        errors["name"] = _("You have %(count)s views of this list; delete one first.") % {
            "count": MAX_VIEWS_PER_LIST
        }
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SavedView.objects.create(
                owner=by,
                list_key=list_key,
                name=name,
                query=query,
                scope=scope,
                team_id=by.team_id if scope == ViewScope.TEAM else None,
            )
    except IntegrityError:
        raise ValidationError({"name": _("You already have a view of this list with that name.")}) from None


def may_delete_view(user: User, view: SavedView) -> bool:
    """The owner deletes their view; the head may remove any shared one."""
    return view.owner_id == user.pk or (is_head(user) and view.scope != ViewScope.PRIVATE)


@transaction.atomic
def saved_view_delete(*, by: User, view: SavedView) -> None:
    if not may_delete_view(by, view):
        raise PermissionDenied(_("Only its owner may delete this view."))
    view.delete()


class SavedViewFilter(BaseFilterBackend):
    """``?view=<id>`` on an API list: the saved view's parameters apply first and the
    request's own parameters override them. Runs before the other filter backends."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get("view")
        if raw is None:
            return queryset
        saved = None
        if raw.isdigit() and len(raw) < 19:
            saved = SavedView.objects.available_to(request.user).filter(pk=int(raw)).first()
        if saved is None:
            raise serializers.ValidationError({"view": [_("No such saved view.")]})
        spec = LISTS.get(saved.list_key)
        if spec is None or spec.api_basename != getattr(view, "basename", None):
            raise serializers.ValidationError({"view": [_("This saved view belongs to another list.")]})
        params = QueryDict(saved.query, mutable=True)
        for name in request.query_params:
            if name != "view":
                params.setlist(name, request.query_params.getlist(name))
        request._request.GET = params
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "view",
                "required": False,
                "in": "query",
                "description": (
                    "A saved view's id: its filters and sort apply; "
                    "the request's own parameters override them."
                ),
                "schema": {"type": "integer"},
            }
        ]
