from django.db.models import Prefetch

from accounts.models import ApiToken, HandOver, Team, User


def user_list(*, viewer: User):
    return User.objects.visible_to(viewer).filter(is_active=True).select_related("team", "territory")


def team_list(*, viewer: User):
    return Team.objects.visible_to(viewer).select_related("lead")


def api_token_list(*, user: User):
    """The user's own API tokens, newest first (revoked and expired ones included, marked)."""
    return ApiToken.objects.filter(user=user)


def hand_over_list(*, viewer: User):
    """Past hand-overs ``viewer`` may see, newest first: who handed whose book over, to whom
    (receivers prefetched: one query per page, whatever its length)."""
    people = User.objects.select_related("team").order_by("last_name", "first_name", "username")
    return (
        HandOver.objects.visible_to(viewer)
        .select_related("by", "giver__team")
        .prefetch_related(Prefetch("receivers", queryset=people))
        .order_by("-created_at", "-pk")
    )


def hand_over_receiver_counts(record: HandOver, keys: list[str]) -> list[tuple[User, list[int]]]:
    """Each receiver of ``record`` with how many rows of each kind (``keys``, in order) they
    received."""
    return [
        (person, [int(record.counts.get(str(person.pk), {}).get(key, 0)) for key in keys])
        for person in record.receivers.all()
    ]
