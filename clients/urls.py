from django.urls import path

from clients.views import activities, clients, contacts, imports, lists, merge

app_name = "clients"

urlpatterns = [
    path("", lists.client_list, name="list"),
    path("new/", clients.client_create, name="create"),
    path("export.<str:export_format>", lists.client_export, name="export"),
    path("import/", imports.client_import, name="import"),
    path("import/template.<str:export_format>", imports.import_template, name="import_template"),
    path("next-steps/", lists.next_steps, name="next_steps"),
    path("duplicates/", merge.client_duplicates, name="duplicates"),
    path("<int:pk>/merge/", merge.client_merge, name="merge"),
    path("contacts/<int:pk>/merge/", merge.contact_merge, name="contact_merge"),
    path("<int:pk>/", clients.client_detail, name="detail"),
    path("<int:pk>/edit/", clients.client_edit, name="edit"),
    path("<int:pk>/reassign/", clients.client_reassign, name="reassign"),
    path("<int:pk>/hand-over/", clients.client_hand_over, name="hand_over"),
    path("<int:pk>/status/", clients.client_status, name="status"),
    path("<int:pk>/delete/", clients.client_delete, name="delete"),
    path("<int:pk>/activities/", activities.activity_log, name="log_activity"),
    path("<int:pk>/timeline/", activities.client_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
]
