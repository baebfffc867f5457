from django.urls import path

from targets.views import history, norms, plans, receivables

app_name = "targets"

urlpatterns = [
    path("plans/", plans.plan_grid, name="plan_grid"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", plans.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/decompose/", plans.plan_decompose, name="plan_decompose"),
    path("plans/<int:pk>/split/", plans.plan_split_edit, name="plan_split_edit"),
    path("plans/<int:pk>/teams/<int:team_id>/", plans.plan_team_edit, name="plan_team_edit"),
    path("plan-vs-actual/", plans.plan_vs_actual, name="plan_vs_actual"),
    path("norms/", norms.norms, name="norms"),
    path("norms/<int:pk>/delete/", norms.norm_delete, name="norm_delete"),
    path("receivables/", receivables.receivables, name="receivables"),
    path("receivables/overdue/", receivables.overdue_list, name="overdue"),
    path("installments/<int:pk>/row/", receivables.installment_row, name="installment_row"),
    path("installments/<int:pk>/payment/", receivables.payment_new, name="payment_new"),
    path("installments/<int:pk>/reason/", receivables.reason_new, name="reason_new"),
    path("installments/<int:pk>/history/", history.installment_history_page, name="installment_history"),
    path("payments/<int:pk>/history/", history.payment_history_page, name="payment_history"),
    path("payments/<int:pk>/void/", receivables.payment_void, name="payment_void"),
    path("deals/<int:deal_id>/schedule/", receivables.deal_schedule, name="deal_schedule"),
    path("deals/<int:deal_id>/schedule/generate/", receivables.schedule_generate, name="schedule_generate"),
    path("clients/<int:client_id>/receivables/", receivables.client_receivables, name="client_receivables"),
]
