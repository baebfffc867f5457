"""Reads of activity norms: the norm that applies to each person."""

from __future__ import annotations

from django.db.models import (
    Exists,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from targets.models import ActivityNorm


def effective_norms(*, viewer, people=None):
    """People ``viewer`` may see, annotated in the database with their effective
    ``calls_per_day`` and ``meetings_per_week`` (a personal norm overrides the role's;
    0 when neither is set), ``has_personal_norm`` and ``personal_norm_id``."""
    people = (
        User.objects.visible_to(viewer)
        if people is None
        else people.filter(pk__in=User.objects.visible_to(viewer).values("pk"))
    )
    personal = ActivityNorm.objects.filter(user=OuterRef("pk"))
    by_role = ActivityNorm.objects.filter(user__isnull=True, role=OuterRef("role"))
    return people.annotate(
        calls_per_day=Coalesce(
            Subquery(personal.values("calls_per_day")[:1]), Subquery(by_role.values("calls_per_day")[:1]), 0
        ),
        meetings_per_week=Coalesce(
            Subquery(personal.values("meetings_per_week")[:1]),
            Subquery(by_role.values("meetings_per_week")[:1]),
            0,
        ),
        has_personal_norm=Exists(personal),
        personal_norm_id=Subquery(personal.values("pk")[:1]),
    )
