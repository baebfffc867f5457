from django.urls import path

from deals import panels, views

app_name = "deals"

urlpatterns = [
    path("", views.kanban, name="kanban"),
    path("list/", views.deal_list_page, name="list"),
    path("board/people/<int:pk>/deals/", views.board_person_deals, name="board_person_deals"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/forecast/", views.forecast_set, name="forecast_set"),
    path("<int:pk>/forecast/override/", views.forecast_override, name="forecast_override"),
    path("<int:pk>/facts/", views.fact_add, name="fact_add"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/activities/", views.activity_add, name="activity_add"),
    path("clients/<int:client_id>/", panels.client_deals_panel, name="client_deals"),
]
