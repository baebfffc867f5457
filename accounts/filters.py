import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User
from core.filters import ModelChoiceFilter, UpdatedSinceFilterSet


def visible_teams(request):
    """Offer only the teams the viewer may see."""
    if request is None:
        return Team.objects.none()
    return Team.objects.visible_to(request.user)


class UserFilter(UpdatedSinceFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"))
    team = ModelChoiceFilter(queryset=visible_teams)

    class Meta:
        model = User
        fields = ["role", "team"]


class TeamFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Team
        fields: list[str] = []
