"""Quick log from anywhere: the header's "Log" button. Pick a client by type-ahead (the
global search's client finder), and the form comes with the contact and the deal already
chosen when there is only one to choose; the activity is written by
clients.services.activity_log, as on the client and deal pages.

It sits in deals because it needs a client's open deals (deals' stage kinds)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_analyst, is_usable
from clients.forms import NextTaskForm
from clients.models import ActivityKind, Client, Direction
from clients.rules import client_records_writability_q
from core.filters import BoundedModelChoiceField
from deals.models import Deal
from deals.search import PER_KIND, client_matches, clients_as_hits


def may_quick_log(user) -> bool:
    """Whether the header shows "Log": everybody who may log an activity for some client."""
    return is_usable(user) and not is_analyst(user)


def loggable_clients(*, viewer):
    """The clients ``viewer`` may log an activity for (their contacts and activities are
    writable to them): seen and kept."""
    condition = client_records_writability_q(viewer)
    clients = Client.objects.visible_to(viewer)
    return clients if condition is None else clients.filter(condition)


def find_loggable_clients(*, viewer, term: str, limit: int = PER_KIND):
    """The type-ahead: the search's client match, among the clients one may log for."""
    return clients_as_hits(
        loggable_clients(viewer=viewer).filter(client_matches(term, viewer=viewer)), term, limit
    )


def open_deals_of(*, viewer, client: Client):
    return Deal.objects.visible_to(viewer).open().filter(client=client).order_by("-created_at", "-pk")


class QuickLogForm(NextTaskForm):
    """Kind, direction (calls and e-mails), contact, deal, outcome (it happened now), and
    optionally the next task."""

    kind = forms.ChoiceField(label=_("What"), choices=ActivityKind.choices, initial=ActivityKind.CALL)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "—"), *Direction.choices],
        required=False,
        initial=Direction.OUTGOING,
    )
    contact = BoundedModelChoiceField(label=_("With"), queryset=None, required=False)
    deal = BoundedModelChoiceField(label=_("Deal"), queryset=None, required=False)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "data-autofocus": ""}),
    )

    field_order = [
        "kind",
        "direction",
        "contact",
        "deal",
        "outcome",
        "next_kind",
        "next_title",
        "next_due_date",
    ]

    def __init__(self, *args, client: Client, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        contacts = list(client.contacts.all())
        self.fields["contact"].queryset = client.contacts.all()
        self.fields["contact"].choices = [("", "—"), *((c.pk, _contact_label(c)) for c in contacts)]
        self.fields["contact"].initial = _preselected_contact(contacts)
        self.fields["deal"].queryset = open_deals_of(viewer=viewer, client=client)
        deals = list(self.fields["deal"].queryset)
        self.fields["deal"].choices = [("", "—"), *((deal.pk, deal.title) for deal in deals)]
        self.fields["deal"].initial = deals[0].pk if len(deals) == 1 else None
        self.show_deal = bool(deals)
        self.show_contact = bool(contacts)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "direction": data.get("direction") or "",
            "contact": data.get("contact"),
            "deal": data.get("deal"),
            "outcome": data.get("outcome") or "",
        }


def _contact_label(contact) -> str:
    return f"{contact.name} · {_('DM')}" if contact.is_decision_maker else contact.name


def _preselected_contact(contacts) -> int | None:
    """The one decision maker; failing any, the one contact; otherwise nobody."""
    deciders = [contact for contact in contacts if contact.is_decision_maker]
    if len(deciders) == 1:
        return deciders[0].pk
    if not deciders and len(contacts) == 1:
        return contacts[0].pk
    return None
