from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_create, name="create"),
    path("export.<str:export_format>", views.client_export, name="export"),
    path("import/", views.client_import, name="import"),
    path("import/template.<str:export_format>", views.import_template, name="import_template"),
    path("next-steps/", views.next_steps, name="next_steps"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/reassign/", views.client_reassign, name="reassign"),
    path("<int:pk>/hand-over/", views.client_hand_over, name="hand_over"),
    path("<int:pk>/status/", views.client_status, name="status"),
    path("<int:pk>/delete/", views.client_delete, name="delete"),
    path("<int:pk>/activities/", views.activity_log, name="log_activity"),
    path("<int:pk>/timeline/", views.client_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/complete/", views.next_step_complete, name="next_step_complete"),
]
