from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import handover_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("tokens/", views.api_token_list_page, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("people/", views.staff_list, name="staff"),
    path("views/", views.saved_view_create_view, name="saved_view_create"),
    path("views/<int:pk>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
    path("people/hand-overs/", handover_views.hand_over_list_page, name="hand_overs"),
    path("people/<int:pk>/hand-over/", handover_views.hand_over_page, name="hand_over"),
    path("people/<int:pk>/deactivate/", handover_views.deactivate_view, name="deactivate"),
    path("people/export.<str:export_format>", views.staff_export, name="staff_export"),
]
