from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from accounts.services import LoginLocked, sign_in_authenticate


class LockoutAuthenticationForm(AuthenticationForm):
    """The login form under the sign-in lockout: repeated wrong passwords for one username from
    one address lock sign-in there for a while."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Note that both fields may be case-sensitive."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = sign_in_authenticate(
                    request=self.request, username=username, password=password
                )
            except LoginLocked as locked:
                errors = [forms.ValidationError(locked.message(), code="locked")]
                if locked.set_by_this_attempt:
                    errors.insert(0, self.get_invalid_login_error())
                raise forms.ValidationError(errors) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": _("What the token is for, e.g. the script or machine that uses it.")}
