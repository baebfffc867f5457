from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.filters import UserFilter
from accounts.forms import ApiTokenForm, LockoutAuthenticationForm
from accounts.rules import may_see_hand_overs
from accounts.selectors import api_token_list, user_list
from accounts.services import LoginLocked, api_token_create, api_token_revoke, sign_in_lock_seconds_left
from accounts.tables import StaffTable
from core.http import query_without, safe_next
from core.tables import export_table, table_for_request


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_invalid(self, form):
        """The form again with its messages, answered 400 as every other refused form."""
        response = super().form_invalid(form)
        response.status_code = 400
        return response


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
            "table": table_for_request(StaffTable, request, queryset, viewer_request=request),
            "export_query": query_without(request, "page"),
            "may_see_hand_overs": may_see_hand_overs(request.user),
        },
    )


@login_required
def staff_export(request, export_format: str):
    """The filtered people list as CSV or XLSX: the page's table, every page of it."""
    filterset = _staff_filter(request)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return export_table(StaffTable, request, queryset, export_format)


def sign_in_locked_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: what a locked sign-in answers. The login page and the token
    endpoint already answered with their own message (the form error; 429 JSON), so theirs
    stands; anything else that signs in (the admin's login page) gets the same message on a
    page of its own, 429 with Retry-After."""
    if getattr(request, "sign_in_lock_answered", False):
        return original_response
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    locked = LoginLocked(seconds_left=sign_in_lock_seconds_left(request=request, username=username))
    response = render(
        request,
        "registration/locked.html",
        {"message": locked.message(), "login_url": reverse("accounts:login")},
        status=429,
    )
    response["Retry-After"] = str(locked.seconds_left)
    return response


@login_required
def api_token_list_page(request):
    """The user's own API tokens: create one (its key shown once), see and revoke them."""
    issued_key = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            issued = api_token_create(user=request.user, name=form.cleaned_data["name"])
            issued_key = issued.key
            form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": api_token_list(user=request.user),
            "issued_key": issued_key,
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = api_token_list(user=request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(_("No such token."))
    api_token_revoke(token=token)
    return redirect("accounts:api_tokens")


@login_required
@require_POST
def saved_view_create_view(request):
    """Save the list's current filters under a name (from the bar above the list)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from accounts.saved_views import LISTS, saved_view_create

    list_key = request.POST.get("list_key", "")
    fallback = reverse(LISTS[list_key].page) if list_key in LISTS else reverse("home")
    try:
        view = saved_view_create(
            by=request.user,
            list_key=list_key,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
            scope=request.POST.get("scope", "private"),
        )
    except ValidationError as invalid:
        for problems in invalid.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect(safe_next(request, fallback))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    page = reverse(LISTS[view.list_key].page)
    return redirect(f"{page}?{view.query}{'&' if view.query else ''}view={view.pk}")


@login_required
@require_POST
def saved_view_delete_view(request, pk: int):
    from django.contrib import messages

    from accounts.models import SavedView
    from accounts.saved_views import saved_view_delete

    view = SavedView.objects.available_to(request.user).filter(pk=pk).first()
    if view is None:
        raise Http404(_("No such saved view."))
    saved_view_delete(by=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(safe_next(request, reverse("home")))
