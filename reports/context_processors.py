from reports.services.notifications import unread_notification_count


def notifications(request):
    """The signed-in person's unread-notification count for the navigation (cached briefly,
    so a page view normally costs no query for it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_notification_count(user)}
