"""Who manages webhooks: the head of sales (what leaves is everything the head may see)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.roles import is_head


def may_manage_webhooks(user) -> bool:
    return is_head(user)


def ensure_may_manage_webhooks(user) -> None:
    if not may_manage_webhooks(user):
        raise PermissionDenied(_("Only the head of sales manages webhooks."))
