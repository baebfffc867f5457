from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.filters import UserFilter
from accounts.forms import ThrottledAuthenticationForm
from accounts.selectors import user_list


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


@login_required
def staff_list(request):
    """The people the viewer may see, with filters shared with the API."""
    filterset = UserFilter(request.GET, queryset=user_list(viewer=request.user), request=request)
    queryset = filterset.qs if filterset.is_valid() else user_list(viewer=request.user).none()
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/staff_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )
