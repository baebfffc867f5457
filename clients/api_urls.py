"""API routes of the clients app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from clients.api import ActivityViewSet, ClientViewSet, ContactViewSet
from clients.task_api import CalendarFeedView, TaskViewSet

router = SimpleRouter()
router.register("clients", ClientViewSet, basename="client")
router.register("contacts", ContactViewSet, basename="contact")
router.register("activities", ActivityViewSet, basename="activity")
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list = [
    *router.urls,
    path("calendar-feed/", CalendarFeedView.as_view(), name="calendar-feed"),
]
