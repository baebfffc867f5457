"""The activity norms page: role norms (the head) and personal norms (head or lead)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, User
from core.forms import apply_service_errors
from targets import rules, selectors, services
from targets.forms import (
    NormPersonForm,
    NormRoleForm,
)
from targets.models import ActivityNorm


@login_required
@require_http_methods(["GET", "POST"])
def norms(request):
    viewer = request.user
    may_set_roles = rules.may_set_plans(viewer)
    people_for_norms = (
        rules.norm_people_for(viewer)
        .filter(pk__in=User.objects.visible_to(viewer).values("pk"), is_active=True)
        .order_by("last_name", "first_name")
    )
    role_form = NormRoleForm(prefix="role") if may_set_roles else None
    person_form = NormPersonForm(prefix="person", people=people_for_norms)
    if request.method == "POST":
        try:
            if "role-role" in request.POST:
                role_form = NormRoleForm(request.POST, prefix="role")
                if role_form.is_valid():
                    services.norm_set_for_role(actor=viewer, **role_form.cleaned_data)
                    messages.success(request, _("Role norm saved."))
                    return redirect("targets:norms")
            else:
                person_form = NormPersonForm(request.POST, prefix="person", people=people_for_norms)
                if person_form.is_valid():
                    data = person_form.cleaned_data
                    services.norm_set_for_user(
                        actor=viewer,
                        person=data["person"],
                        calls_per_day=data["calls_per_day"],
                        meetings_per_week=data["meetings_per_week"],
                    )
                    messages.success(request, _("Personal norm saved."))
                    return redirect("targets:norms")
        except ValidationError as error:
            apply_service_errors(role_form if "role-role" in request.POST else person_form, error)
    role_norms = ActivityNorm.objects.filter(user__isnull=True).order_by("role")
    role_labels = dict(Role.choices)
    people = (
        selectors.effective_norms(viewer=viewer)
        .filter(is_active=True)
        .select_related("team")
        .order_by(F("team__name").asc(nulls_last=True), "last_name", "first_name")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    # Whose personal norm the viewer may remove: the same rule that lists the people above.
    editable_ids = set(
        rules.norm_people_for(viewer)
        .filter(pk__in=[person.pk for person in page.object_list])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "targets/norms.html",
        {
            "role_norms": [(role_labels.get(norm.role, norm.role), norm) for norm in role_norms],
            "page": page,
            "role_form": role_form,
            "person_form": person_form if (may_set_roles or people_for_norms.exists()) else None,
            "may_set_roles": may_set_roles,
            "norm_editable_ids": editable_ids,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def norm_delete(request, pk: int):
    norm = get_object_or_404(ActivityNorm.objects.visible_to(request.user).select_related("user"), pk=pk)
    if request.method == "POST":
        services.norm_delete(actor=request.user, norm=norm)
        messages.success(request, _("Norm removed."))
        return redirect("targets:norms")
    if not rules.may_change_norm(request.user, norm):
        raise PermissionDenied(_("You may not remove this norm."))
    return render(request, "targets/norm_confirm_delete.html", {"norm": norm})
