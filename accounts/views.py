from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.filters import UserFilter
from accounts.forms import ThrottledAuthenticationForm
from accounts.selectors import user_list
from accounts.tables import StaffTable
from core.http import query_without
from core.tables import export_table, table_for_request


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def _staff_filter(request) -> UserFilter:
    return UserFilter(request.GET, queryset=user_list(viewer=request.user), request=request)


@login_required
def staff_list(request):
    """The people the viewer may see, with filters shared with the API."""
    filterset = _staff_filter(request)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return render(
        request,
        "accounts/staff_list.html",
        {
            "filter": filterset,
            "table": table_for_request(StaffTable, request, queryset),
            "export_query": query_without(request, "page"),
        },
    )


@login_required
def staff_export(request, export_format: str):
    """The filtered people list as CSV or XLSX: the page's table, every page of it."""
    filterset = _staff_filter(request)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return export_table(StaffTable, request, queryset, export_format)
