from accounts.models import Team, User


def user_list(*, viewer: User):
    return User.objects.visible_to(viewer).filter(is_active=True).select_related("team", "territory")


def team_list(*, viewer: User):
    return Team.objects.visible_to(viewer).select_related("lead")
