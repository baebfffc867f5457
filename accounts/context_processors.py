from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role

# (url name, label, key, who sees the link: None = everybody signed in)
SECTIONS = [
    ("home", _("Home"), "home", None),
    ("clients:list", _("Clients"), "clients", None),
    ("tasks:my_day", _("My day"), "my_day", None),
    ("deals:kanban", _("Pipeline"), "pipeline", None),
    ("deals:list", _("Deals"), "deals", None),
    ("deals:products", _("Products"), "products", None),
    ("board", _("抓单 board"), "board", None),
    ("documents:contract_list", _("Contracts"), "contracts", None),
    ("documents:request_list", _("Requests"), "requests", None),
    ("targets:plan_grid", _("Plans"), "plans", None),
    ("targets:receivables", _("Receivables"), "receivables", None),
    ("reports:index", _("Reports"), "reports", None),
    ("accounts:staff", _("People"), "staff", None),
    ("integrations:webhooks", _("Webhooks"), "webhooks", (Role.HEAD,)),
    ("swagger-ui", _("API"), "api", None),
]


def _current_section(request) -> str | None:
    """The section a page belongs to: its own URL name when it is a section, otherwise the
    first section of its app (a client's page sits under Clients)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    names = [url_name for url_name, *_ in SECTIONS]
    if match.view_name in names:
        return match.view_name
    if match.namespace:
        candidates = [name for name in names if name.startswith(match.namespace + ":")]
        # Within the app, the section whose address the page sits under (the overdue list,
        # /targets/receivables/overdue/, belongs to Receivables, not to Plans); else the first.
        under = [name for name in candidates if request.path.startswith(_path_of(name))]
        return max(under, key=lambda name: len(_path_of(name))) if under else next(iter(candidates), None)
    return None


def _path_of(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return "\0"


def navigation(request):
    """Links to the sections that exist, for the signed-in user. A section whose URL is not
    routed (yet) is simply left out. Worked out when the header reads them: a page whose
    header is kept (core.templatetags.kept) does not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {"nav_links": lambda: _links(request, user)}


def _links(request, user) -> list[dict]:
    current = _current_section(request)
    links = []
    for url_name, label, key, roles in SECTIONS:
        if roles is not None and not has_role(user, *roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        links.append({"url": url, "label": label, "key": key, "active": url_name == current})
    if user.is_staff:
        links.append({"url": reverse("admin:index"), "label": _("Admin"), "key": "admin", "active": False})
    return links
