from django import template
from django.urls import reverse

from accounts.models import SavedView
from accounts.saved_views import LISTS, may_delete_view, scopes_for

register = template.Library()


@register.inclusion_tag("accounts/partials/saved_views.html", takes_context=True)
def saved_views(context, list_key: str):
    """Tabs of the saved views of a list the user may use, and the form that saves the
    current filters (one query)."""
    request = context["request"]
    user = request.user
    page = reverse(LISTS[list_key].page)
    views = list(SavedView.objects.available_to(user).filter(list_key=list_key).select_related("owner"))
    active = request.GET.get("view", "")
    tabs = [
        {
            "view": view,
            "url": f"{page}?{view.query}{'&' if view.query else ''}view={view.pk}",
            "active": str(view.pk) == active,
            "may_delete": may_delete_view(user, view),
        }
        for view in views
    ]
    query = request.GET.copy()
    for name in ("page", "view", "export"):
        query.pop(name, None)
    return {
        "list_key": list_key,
        "page": page,
        "tabs": tabs,
        "any_active": any(tab["active"] for tab in tabs),
        "query": query.urlencode(),
        "scopes": scopes_for(user),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
