"""API routes of the targets app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from targets import api

router = SimpleRouter()
router.register("plans", api.PlanViewSet, basename="plan")
router.register("allocations", api.AllocationViewSet, basename="allocation")
router.register("norms", api.NormViewSet, basename="norm")
router.register("installments", api.InstallmentViewSet, basename="installment")
router.register("payments", api.PaymentViewSet, basename="payment")
router.register("overdue-reasons", api.OverdueReasonViewSet, basename="overdue-reason")

urlpatterns: list = [
    path("deals/<int:deal_id>/schedule/", api.DealScheduleView.as_view(), name="deal-schedule"),
    path("receivables/aging/", api.ReceivablesAgingView.as_view(), name="receivables-aging"),
    path("plan-vs-actual/", api.PlanVsActualView.as_view(), name="plan-vs-actual"),
    *router.urls,
]
