from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.rules import may_manage_webhooks


def webhook_list(*, viewer) -> QuerySet[WebhookEndpoint]:
    """Every endpoint, for the head; refused to everybody else."""
    if not may_manage_webhooks(viewer):
        raise PermissionDenied(_("Only the head of sales manages webhooks."))
    return WebhookEndpoint.objects.all()


def delivery_list(*, viewer, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint__in=webhook_list(viewer=viewer).filter(pk=endpoint.pk))
