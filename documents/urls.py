from django.urls import path

from documents.views import attachments, contracts, requests

app_name = "documents"

urlpatterns = [
    path("attachments/<str:kind>/<int:pk>/", attachments.panel, name="attachments"),
    path("attachments/<int:pk>/download/", attachments.download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachments.delete, name="attachment_delete"),
    path("contracts/", contracts.contract_list_page, name="contract_list"),
    path("contracts/new/", contracts.contract_create, name="contract_create"),
    path("contracts/awaiting-review/", contracts.review_panel, name="review_panel"),
    path("contracts/<int:pk>/", contracts.contract_page, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/delete/", contracts.contract_delete, name="contract_delete"),
    path("contracts/<int:pk>/submit/", contracts.contract_submit, name="contract_submit"),
    path("contracts/<int:pk>/approve/", contracts.contract_approve, name="contract_approve"),
    path("contracts/<int:pk>/return/", contracts.contract_return, name="contract_return"),
    path("contracts/<int:pk>/sign/", contracts.contract_sign, name="contract_sign"),
    path("deals/<int:deal_id>/contracts/", contracts.deal_contracts_panel, name="deal_contracts"),
    path("requests/", requests.request_list_page, name="request_list"),
    path("requests/<int:pk>/", requests.request_page, name="request_detail"),
    path("requests/<int:pk>/move/", requests.request_move, name="request_move"),
    path("clients/<int:client_id>/requests/", requests.client_requests_panel, name="client_requests"),
    path("clients/<int:client_id>/requests/new/", requests.request_create, name="request_create"),
]
