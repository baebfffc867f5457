from django.urls import path

from deals import panels, views
from deals.views import commerce, products
from deals.views.lost_reasons import lost_reasons
from deals.views.warnings import warning_settings

app_name = "deals"

urlpatterns = [
    path("", views.kanban, name="kanban"),
    path("columns/<int:stage_id>/", views.kanban_more, name="kanban_more"),
    path("list/", views.deal_list_page, name="list"),
    path("warnings/settings/", warning_settings, name="warning_settings"),
    path("lost-reasons/", lost_reasons, name="lost_reasons"),
    path("board/people/<int:pk>/deals/", views.board_person_deals, name="board_person_deals"),
    path("new/", views.create, name="create"),
    path("new/clients/", views.client_options, name="client_options"),
    path("new/renews/", views.renewal_options, name="renewal_options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/forecast/", views.forecast_set, name="forecast_set"),
    path("<int:pk>/forecast/override/", views.forecast_override, name="forecast_override"),
    path("<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("products/", products.product_list, name="products"),
    path("products/new/", products.product_create, name="product_create"),
    path("products/<int:pk>/edit/", products.product_edit, name="product_edit"),
    path("products/<int:pk>/active/", products.product_active, name="product_active"),
    path("<int:pk>/commerce/", commerce.commerce_panel, name="commerce"),
    path("<int:pk>/lines/", commerce.line_add, name="line_add"),
    path("lines/<int:pk>/edit/", commerce.line_edit, name="line_edit"),
    path("lines/<int:pk>/delete/", commerce.line_delete, name="line_delete"),
    path("lines/<int:pk>/approve/", commerce.line_decide, {"decision": "approve"}, name="line_approve"),
    path("lines/<int:pk>/reject/", commerce.line_decide, {"decision": "reject"}, name="line_reject"),
    path("<int:pk>/quotes/", commerce.quote_create, name="quote_create"),
    path("quotes/<int:pk>/", commerce.quote_page, name="quote"),
    path("quotes/<int:pk>/pdf/", commerce.quote_pdf_view, name="quote_pdf"),
    path("quotes/<int:pk>/send/", commerce.quote_action, {"action": "send"}, name="quote_send"),
    path("quotes/<int:pk>/accept/", commerce.quote_action, {"action": "accept"}, name="quote_accept"),
    path("quotes/<int:pk>/reject/", commerce.quote_action, {"action": "reject"}, name="quote_reject"),
    path("clients/<int:client_id>/", panels.client_deals_panel, name="client_deals"),
]
