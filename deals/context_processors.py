from deals.quick_log import may_quick_log


def header(request):
    """Flags for the header's tools (the "Log" button)."""
    user = getattr(request, "user", None)
    return {"may_quick_log": bool(user is not None and user.is_authenticated and may_quick_log(user))}
