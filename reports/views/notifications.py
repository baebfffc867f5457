"""A person's notifications: the list, marking read, and their e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_service_errors
from core.http import query_without
from reports.filters import NotificationFilter
from reports.forms import NotificationPreferenceForm
from reports.models import NotificationPreference
from reports.selectors import alert_list, notification_list
from reports.services.notifications import (
    notification_mark_read,
    notification_preference_update,
    notifications_mark_all_read,
)
from reports.views.common import PAGE_SIZE


@login_required
def notifications(request, preference_form: NotificationPreferenceForm | None = None):
    base = notification_list(viewer=request.user)
    filterset = NotificationFilter(request.GET, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    if preference_form is None:
        preference = NotificationPreference.objects.filter(user=request.user).first()
        preference_form = NotificationPreferenceForm(
            initial={
                "language": preference.language if preference else request.LANGUAGE_CODE,
                "email_enabled": preference.email_enabled if preference else True,
            }
        )
    context = {
        "filter": filterset,
        "page": page,
        "query": query_without(request, "page"),
        "preference_form": preference_form,
    }
    return render(
        request, "reports/notifications.html", context, status=400 if preference_form.is_bound else 200
    )


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = notification_mark_read(by=request.user, notification_id=pk)
    if request.htmx:
        notification = notification_list(viewer=request.user).get(pk=notification.pk)
        return render(request, "reports/partials/notification_item.html", {"notification": notification})
    target = request.POST.get("next")
    if target == "alert" and alert_list(viewer=request.user).filter(pk=notification.alert_id).exists():
        return redirect("reports:alert", pk=notification.alert_id)
    return redirect("reports:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(by=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("reports:notifications")


@login_required
@require_POST
def notification_preferences(request):
    form = NotificationPreferenceForm(request.POST)
    if form.is_valid():
        try:
            notification_preference_update(
                user=request.user,
                language=form.cleaned_data["language"],
                email_enabled=form.cleaned_data["email_enabled"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Notification settings saved."))
            return redirect("reports:notifications")
    return notifications(request, preference_form=form)
