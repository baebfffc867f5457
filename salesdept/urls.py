from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from reports import board_views
from reports import views as reports_views

router = DefaultRouter()
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("teams", accounts_api.TeamViewSet, basename="team")

api_v1 = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="api-token"),
    path("", include(router.urls)),
    path("", include("clients.api_urls")),
    path("", include("deals.api_urls")),
    path("", include("targets.api_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    path("", reports_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("clients/", include("clients.urls")),
    # The board's pages (reports.board_views) keep their paths under /deals/.
    path("deals/board/", board_views.board_page, name="board"),
    path("deals/board/reviews/<int:pk>/", board_views.panel_review, name="board_review"),
    path("deals/<int:pk>/panel/", board_views.panel, name="board_panel"),
    path("deals/", include("deals.urls")),
    path("targets/", include("targets.urls")),
    path("reports/", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
