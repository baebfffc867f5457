from django.urls import path

from clients.views import calendar, tasks

app_name = "tasks"

urlpatterns = [
    path("", tasks.my_day, name="my_day"),
    path("settings/", tasks.day_settings, name="settings"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/events/", calendar.calendar_events, name="calendar_events"),
    path("<int:pk>/move/", calendar.task_move, name="move"),
    path("new/<int:client_pk>/", tasks.task_create, name="create"),
    path("<int:pk>/", tasks.task_detail, name="detail"),
    path("<int:pk>/edit/", tasks.task_edit, name="edit"),
    path("<int:pk>/complete/", tasks.task_complete, name="complete"),
    path("<int:pk>/snooze/", tasks.task_snooze, name="snooze"),
    path("<int:pk>/cancel/", tasks.task_cancel, name="cancel"),
    path("<int:pk>/delete/", tasks.task_delete, name="delete"),
]
