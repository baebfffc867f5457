from collections import Counter

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.handover import book_of, missing_receivers_message
from accounts.models import ApiToken, User
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


# --- the hand-over page's choice (accounts/handover_views.py) ------------------------------

MODE_EVEN = "even"
MODE_BY_HAND = "hand"
ASSIGN_PREFIX = "assign_"


def receiver_label(person: User) -> str:
    """How a receiver is named in the per-client boxes (their list offers these): the name,
    and the login, which no two people share."""
    return f"{person.full_name} ({person.username})"


class WrongBoxes(ValidationError):
    """Clients' boxes with a name that is no receiver's, and the empty ones beside them, said
    at once; ``client_ids`` are the boxes with a wrong name (the page marks them, and the
    empty ones: HandOverChoice.empty_boxes)."""

    def __init__(self, messages: list[str], client_ids: set[str]):
        super().__init__(messages)
        self.client_ids = client_ids


class HandOverChoice:
    """What the hand-over page posted: receivers for an even split (``to``), or a receiver per
    client (``assign_<client id>``) named as the page's list names them, by their name alone
    where no other receiver shares it, or by id (as the API does)."""

    def __init__(self, data, *, receivers, owner: User):
        self.data, self.receivers, self.owner = data, receivers, owner
        self.mode = data.get("mode", MODE_EVEN)
        self.by_hand = self.mode == MODE_BY_HAND

    def typed(self, client_id) -> str:
        """What the client's box held."""
        return self.data.get(f"{ASSIGN_PREFIX}{client_id}", "")

    def empty_boxes(self, units) -> list[str]:
        """The ids of the book's clients whose box was sent empty (or not at all)."""
        return [str(pk) for pk, _name in units if not self.typed(pk).strip()]

    def _by_name(self) -> dict[str, int]:
        names = Counter(person.full_name for person in self.receivers)
        alone = {person.full_name: person.pk for person in self.receivers if names[person.full_name] == 1}
        return alone | {receiver_label(person): person.pk for person in self.receivers}

    def service_kwargs(self) -> dict:
        """The choice as the service's keyword arguments; WrongBoxes when a box names no
        receiver (the service itself says which clients have none)."""
        if not self.by_hand:
            return {"to": self.data.getlist("to")}
        by_name = self._by_name()
        assignments, unknown = {}, []
        for key, value in self.data.items():
            value = value.strip()
            if not key.startswith(ASSIGN_PREFIX) or not value:
                continue
            client_id = key[len(ASSIGN_PREFIX) :]
            if value.isascii() and value.isdigit():
                assignments[client_id] = value
            elif value in by_name:
                assignments[client_id] = by_name[value]
            else:
                unknown.append((client_id, value[:100]))
        if unknown:
            units = book_of(self.owner).units
            clients = {str(pk): name for pk, name in units}
            problems = [
                gettext("%(client)s: no receiver is named “%(name)s”; choose one from the list.")
                % {"client": clients.get(client_id, client_id), "name": name}
                for client_id, name in unknown[:10]
            ]
            empty = self.empty_boxes(units)
            if empty:
                problems.append(missing_receivers_message([clients[pk] for pk in empty]))
            raise WrongBoxes(problems, {client_id for client_id, _name in unknown})
        return {"assignments": assignments}
