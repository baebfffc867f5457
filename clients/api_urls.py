"""API routes of the clients app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from clients.api import ActivityViewSet, ClientViewSet, ContactViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("activities", ActivityViewSet, basename="activity")

urlpatterns: list = [*router.urls]
