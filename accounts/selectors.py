from accounts.models import ApiToken, Team, User


def user_list(*, viewer: User):
    return User.objects.visible_to(viewer).filter(is_active=True).select_related("team", "territory")


def team_list(*, viewer: User):
    return Team.objects.visible_to(viewer).select_related("lead")


def api_token_list(*, user: User):
    """The user's own API tokens, newest first (revoked and expired ones included, marked)."""
    return ApiToken.objects.filter(user=user)
