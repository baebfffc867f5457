from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from clients.views import tasks as task_views
from core import bulk_views
from core.bulk_api import BulkJobViewSet
from integrations import api as integrations_api
from reports import board_views
from reports import views as reports_views
from reports.views import forecast
from sync import api as sync_api

router = DefaultRouter()
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("teams", accounts_api.TeamViewSet, basename="team")
router.register("hand-overs", accounts_api.HandOverViewSet, basename="hand-over")
router.register("tokens", accounts_api.ApiTokenViewSet, basename="api-token-own")
router.register("deletions", sync_api.DeletionViewSet, basename="deletion")
router.register("webhooks", integrations_api.WebhookViewSet, basename="webhook")
router.register("bulk-jobs", BulkJobViewSet, basename="bulk-job")

api_v1 = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="api-token"),
    path("", include(router.urls)),
    path("", include("clients.api_urls")),
    path("", include("deals.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("targets.api_urls")),
    path("", include("reports.api_urls")),
]

# The API docs pages run vendored bundles (Swagger UI, Redoc from the sidecar package, no CDN)
# that style their widgets with inline styles and Redoc's search in a blob: worker; these two
# views alone get those allowances. Scripts stay 'self' (the split view serves Swagger UI's
# init script as a file).
api_docs_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("clients/", include("clients.urls")),
    path("tasks/", include("clients.task_urls")),
    path("calendar/<str:token>.ics", task_views.calendar_feed, name="calendar_feed"),
    # The board's pages (reports.board_views) keep their paths under /deals/.
    path("deals/board/", board_views.board_page, name="board"),
    path("deals/board/people/<int:pk>/", board_views.board_person, name="board_person"),
    path("deals/board/reviews/<int:pk>/", board_views.panel_review, name="board_review"),
    path("deals/<int:pk>/panel/", board_views.panel, name="board_panel"),
    path("deals/", include("deals.urls")),
    path("documents/", include("documents.urls")),
    path("targets/", include("targets.urls")),
    path("reports/", include("reports.urls")),
    path("integrations/", include("integrations.urls")),
    path("", include("deals.header_urls")),
    path("forecast/", forecast.forecast_page, name="forecast"),
    path("forecast/changes/", forecast.forecast_changes_page, name="forecast_changes"),
    path("forecast/accuracy/", forecast.forecast_accuracy_page, name="forecast_accuracy"),
    path("bulk/jobs/<int:pk>/", bulk_views.bulk_job_page, name="bulk_job"),
    path("bulk/<str:resource>/", bulk_views.bulk_page, name="bulk"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # The schema and its docs are for signed-in staff only (SPEC: everything requires login):
    # the schema answers 401/403 like the API, the HTML pages send a browser to sign in.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path(
        "api/docs/",
        login_required(
            api_docs_csp(
                SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[IsAuthenticated])
            )
        ),
        name="swagger-ui",
    ),
    path(
        "api/redoc/",
        login_required(
            api_docs_csp(
                SpectacularRedocView.as_view(url_name="schema", permission_classes=[IsAuthenticated])
            )
        ),
        name="redoc",
    ),
]
