"""A password "validator" that validates nothing: Django calls password_changed() on every
entry of AUTH_PASSWORD_VALIDATORS after a user's new password is saved (set_password() then
save(): the password-change page, the admin, createsuperuser, changepassword, services), which
makes it the one place every password change passes through."""

from django.utils.translation import gettext as _


class RevokeApiTokensOnPasswordChange:
    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is None or user.pk is None:
            return
        from accounts.services import api_tokens_revoke_for_user

        api_tokens_revoke_for_user(user=user)

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens.")
