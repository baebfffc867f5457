"""API routes of the targets app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from targets.api import norms, plans, receivables

router = SimpleRouter()
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("allocations", plans.AllocationViewSet, basename="allocation")
router.register("norms", norms.NormViewSet, basename="norm")
router.register("installments", receivables.InstallmentViewSet, basename="installment")
router.register("payments", receivables.PaymentViewSet, basename="payment")
router.register("overdue-reasons", receivables.OverdueReasonViewSet, basename="overdue-reason")

urlpatterns: list = [
    path("deals/<int:deal_id>/schedule/", receivables.DealScheduleView.as_view(), name="deal-schedule"),
    path("receivables/aging/", receivables.ReceivablesAgingView.as_view(), name="receivables-aging"),
    path("plan-vs-actual/", plans.PlanVsActualView.as_view(), name="plan-vs-actual"),
    *router.urls,
]
