from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Links to the sections that exist, for the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [
        {"url": reverse("home"), "label": _("Home"), "key": "home"},
        {"url": reverse("accounts:staff"), "label": _("People"), "key": "staff"},
        {"url": reverse("swagger-ui"), "label": _("API"), "key": "api"},
    ]
    if user.is_staff:
        links.append({"url": reverse("admin:index"), "label": _("Admin"), "key": "admin"})
    return {"nav_links": links}
