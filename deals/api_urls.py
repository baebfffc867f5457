"""API routes of the deals app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from deals import api, api_commerce, api_evidence
from deals.search_api import SearchView

router = SimpleRouter()
router.register("stages", api.StageViewSet, basename="stage")
router.register("lost-reasons", api.LostReasonViewSet, basename="lost-reason")
router.register("deals", api.DealViewSet, basename="deal")
router.register("facts", api_evidence.FactViewSet, basename="fact")
router.register("reviews", api_evidence.ReviewViewSet, basename="review")
router.register("products", api_commerce.ProductViewSet, basename="product")
router.register("deal-lines", api_commerce.DealLineViewSet, basename="deal-line")
router.register("quotes", api_commerce.QuoteViewSet, basename="quote")

urlpatterns: list = [
    path("pipeline/", api.PipelineView.as_view(), name="pipeline"),
    path("search/", SearchView.as_view(), name="api-search"),
    *router.urls,
]
