"""The header's tools, on every page: global search and the quick log."""

from django.urls import path

from deals.views.quick_log import quick_log, quick_log_clients
from deals.views.search import search_page, search_suggest

app_name = "header"

urlpatterns = [
    path("search/", search_page, name="search"),
    path("search/suggest/", search_suggest, name="search_suggest"),
    path("log/", quick_log, name="quick_log"),
    path("log/clients/", quick_log_clients, name="quick_log_clients"),
]
