"""The home page ("/"): the role-aware dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import is_manager
from reports.dashboard import dashboard_for


@login_required
def home(request):
    """The role-aware dashboard: a person's own month, a lead's team, the head's department."""
    # Leads and the head review contracts: their home loads the "awaiting your review" panel.
    return render(
        request,
        "reports/home.html",
        {"dashboard": dashboard_for(request.user), "reviews_contracts": is_manager(request.user)},
    )
