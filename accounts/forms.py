from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.services import LoginLocked, throttled_authenticate


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, with repeated wrong passwords locking sign-in for a while."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Note that both fields may be case-sensitive."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = throttled_authenticate(
                    request=self.request, username=username, password=password
                )
            except LoginLocked as locked:
                raise forms.ValidationError(locked.message(), code="locked") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
