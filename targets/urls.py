from django.urls import path

from targets import views

app_name = "targets"

urlpatterns = [
    path("plans/", views.plan_grid, name="plan_grid"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/decompose/", views.plan_decompose, name="plan_decompose"),
    path("plans/<int:pk>/split/", views.plan_split_edit, name="plan_split_edit"),
    path("plans/<int:pk>/teams/<int:team_id>/", views.plan_team_edit, name="plan_team_edit"),
    path("plan-vs-actual/", views.plan_vs_actual, name="plan_vs_actual"),
    path("norms/", views.norms, name="norms"),
    path("norms/<int:pk>/delete/", views.norm_delete, name="norm_delete"),
    path("receivables/", views.receivables, name="receivables"),
    path("receivables/overdue/", views.overdue_list, name="overdue"),
    path("installments/<int:pk>/row/", views.installment_row, name="installment_row"),
    path("installments/<int:pk>/payment/", views.payment_new, name="payment_new"),
    path("installments/<int:pk>/reason/", views.reason_new, name="reason_new"),
    path("deals/<int:deal_id>/schedule/", views.deal_schedule, name="deal_schedule"),
    path("deals/<int:deal_id>/schedule/generate/", views.schedule_generate, name="schedule_generate"),
    path("clients/<int:client_id>/receivables/", views.client_receivables, name="client_receivables"),
]
