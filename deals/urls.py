from django.urls import path

from deals import panels, views
from deals.views.warnings import warning_settings

app_name = "deals"

urlpatterns = [
    path("", views.kanban, name="kanban"),
    path("columns/<int:stage_id>/", views.kanban_more, name="kanban_more"),
    path("list/", views.deal_list_page, name="list"),
    path("warnings/settings/", warning_settings, name="warning_settings"),
    path("board/people/<int:pk>/deals/", views.board_person_deals, name="board_person_deals"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("clients/<int:client_id>/", panels.client_deals_panel, name="client_deals"),
]
