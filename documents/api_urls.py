"""API routes of the documents app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from documents import api

router = SimpleRouter()
router.register("attachments", api.AttachmentViewSet, basename="attachment")
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("client-requests", api.ClientRequestViewSet, basename="client-request")

urlpatterns: list = [*router.urls]
