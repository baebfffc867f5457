from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Territory
from clients.models import (
    ActivityKind,
    Client,
    ClientStatus,
    Contact,
    Direction,
    Industry,
    Segment,
    Source,
    Task,
    TaskKind,
    Tier,
)
from clients.selectors import client_linked_deals
from clients.services.checks import tax_id_clean
from clients.services.clients import CLIENT_DETAIL_FIELDS
from core.filters import BoundedModelChoiceField, check_date_in_range
from core.forms import date_input, datetime_local_input, remember_shown_values, time_input

DATE = date_input()
TIME = time_input()


def _owner_label(user) -> str:
    return f"{user.full_name} · {user.team}" if user.team_id else user.full_name


class ClientForm(forms.Form):
    """Create or edit a client. Status and owner are chosen here only on creation; later
    they change through the lifecycle buttons and the reassign form."""

    name = forms.CharField(label=_("Name"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=255, required=False)
    tax_id = forms.CharField(
        label=_("Tax id"),
        max_length=32,
        required=False,
        help_text=_("Letters and digits; spaces and dashes are ignored."),
    )
    industry = BoundedModelChoiceField(label=_("Industry"), queryset=Industry.objects.all(), required=False)
    segment = forms.ChoiceField(label=_("Segment"), choices=Segment.choices, initial=Segment.SMALL)
    territory = BoundedModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.all(), required=False
    )
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.C)
    status = forms.ChoiceField(label=_("Status"), choices=ClientStatus.choices, initial=ClientStatus.LEAD)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.INBOUND)
    owner = BoundedModelChoiceField(label=_("Owner"), queryset=None, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    DETAIL_FIELDS = CLIENT_DETAIL_FIELDS
    CONTACT_FIELDS = ("contact_name", "contact_position", "contact_phone", "contact_email")

    def __init__(self, *args, owners=None, instance: Client | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {field: getattr(instance, field) for field in self.DETAIL_FIELDS})
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["name"].widget.attrs["autofocus"] = True
        if instance is not None:
            for field in ("status", "owner", *self.CONTACT_FIELDS):
                del self.fields[field]
            remember_shown_values(self)  # a save writes only what the user changed
        else:
            self.fields["owner"].queryset = owners
            self.fields["owner"].label_from_instance = _owner_label
            if owners is None or owners.count() <= 1:
                del self.fields["owner"]

    @property
    def detail_fields(self):
        return [self[name] for name in self.DETAIL_FIELDS]

    @property
    def first_contact_fields(self):
        return [self[name] for name in self.CONTACT_FIELDS if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        contact_given = any(cleaned.get(field) for field in self.CONTACT_FIELDS[1:])
        if "contact_name" in self.fields and contact_given and not cleaned.get("contact_name"):
            self.add_error("contact_name", _("Give the contact a name."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {field: data.get(field) for field in self.DETAIL_FIELDS}
        kwargs["tax_id"] = data.get("tax_id") or None
        if self.instance is None:
            kwargs["status"] = data["status"]
            if data.get("owner"):
                kwargs["owner"] = data["owner"]
            if data.get("contact_name"):
                kwargs["contacts"] = [
                    {
                        "name": data["contact_name"],
                        "position": data.get("contact_position") or "",
                        "phone": data.get("contact_phone") or "",
                        "email": data.get("contact_email") or "",
                    }
                ]
        return kwargs

    def clean_tax_id(self):
        """Checked with the other fields, so a wrong tax id shows with a missing name at once
        (the service checked it only once the form was otherwise valid); kept as typed."""
        value = self.cleaned_data.get("tax_id", "")
        tax_id_clean(value)
        return value


class ReassignForm(forms.Form):
    owner = BoundedModelChoiceField(label=_("New owner"), queryset=None)
    move_open_work = forms.BooleanField(
        label=_("Move its open deals and open tasks to the new owner too"), required=False, initial=True
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = _owner_label


class HandOverForm(forms.Form):
    to = BoundedModelChoiceField(label=_("Hand over to"), queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = candidates
        self.fields["to"].label_from_instance = _owner_label


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ClientStatus.choices)


class ContactForm(forms.ModelForm):
    """Validates the input; ``contact_create`` / ``contact_update`` write it."""

    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email", "is_decision_maker", "notes"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            remember_shown_values(self)  # a save writes only what the user changed

    def _post_clean(self):
        """The service validates and saves; the form only checks the fields."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    check_only = forms.BooleanField(
        label=_("Only check the file, import nothing"),
        required=False,
    )


class NextTaskForm(forms.Form):
    """The next task planned in the same step as logging or closing one: kind, what, when
    (a time optional). Both or neither of what and when."""

    next_kind = forms.ChoiceField(
        label=pgettext_lazy("the next task's kind", "Next"),
        choices=TaskKind.choices,
        initial=TaskKind.CALL,
        required=False,
    )
    next_title = forms.CharField(label=_("Next task"), required=False, max_length=300)
    next_due_date = forms.DateField(label=_("Due"), required=False, widget=DATE)
    next_due_time = forms.TimeField(label=_("Time"), required=False, widget=TIME)

    def clean_next_due_date(self):
        value = self.cleaned_data.get("next_due_date")
        check_date_in_range(value)
        return value

    def clean(self):
        cleaned = super().clean()
        title = (cleaned.get("next_title") or "").strip()
        if title and not cleaned.get("next_due_date") and "next_due_date" not in self.errors:
            self.add_error("next_due_date", _("Say when it is due."))
        if not title and cleaned.get("next_due_date"):
            self.add_error("next_title", _("Say what is to be done by that date."))
        return cleaned

    def next_task(self) -> dict | None:
        """The next task to plan, or None when none was asked for."""
        data = self.cleaned_data
        if not (data.get("next_title") or "").strip():
            return None
        return {
            "kind": data.get("next_kind") or TaskKind.CALL,
            "title": data["next_title"],
            "due_date": data["next_due_date"],
            "due_time": data.get("next_due_time"),
        }


class ActivityLogForm(NextTaskForm):
    """The seconds-long "log a call / meeting / visit" form of the client and deal pages.
    Also edits a logged activity (``instance``)."""

    kind = forms.ChoiceField(label=_("What"), choices=ActivityKind.choices, initial=ActivityKind.CALL)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "—"), *Direction.choices],
        required=False,
        initial=Direction.OUTGOING,
    )
    contact = BoundedModelChoiceField(label=_("With"), queryset=None, required=False)
    deal = BoundedModelChoiceField(label=_("Deal"), queryset=None, required=False)
    occurred_at = forms.DateTimeField(label=_("When"), required=False, widget=datetime_local_input())
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=24 * 60, initial=5)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    # The next task (NextTaskForm's fields) is planned in the same step, only when logging.
    field_order = [
        "kind",
        "direction",
        "contact",
        "deal",
        "occurred_at",
        "duration_minutes",
        "outcome",
        "next_kind",
        "next_title",
        "next_due_date",
        "next_due_time",
    ]

    def __init__(self, *args, client: Client, user, deal=None, instance=None, choices_from=None, **kwargs):
        """``choices_from``: a form of the same client and user whose contacts and deals to
        offer again (the fresh form after a log: logging changes neither)."""
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": instance.kind,
                    "direction": instance.direction,
                    "contact": instance.contact_id,
                    "deal": instance.deal_id,
                    "occurred_at": timezone.localtime(instance.occurred_at).strftime("%Y-%m-%dT%H:%M"),
                    "duration_minutes": instance.duration_minutes,
                    "outcome": instance.outcome,
                },
            )
        super().__init__(*args, **kwargs)
        self.client = client
        self.instance = instance
        self.fields["contact"].queryset = client.contacts.all()
        # Read the contacts once; with only one, that is most likely who was called.
        if choices_from is not None:
            client_contacts = choices_from.client_contacts
        else:
            client_contacts = list(self.fields["contact"].queryset)
        self.client_contacts = client_contacts
        self.fields["contact"].choices = [("", "---------"), *((c.pk, str(c)) for c in client_contacts)]
        if len(client_contacts) == 1 and not self.is_bound and instance is None:
            self.fields["contact"].initial = client_contacts[0].pk
        # Only the deals the user sees: a hidden deal is neither listed nor accepted.
        self.fields["deal"].queryset = client_linked_deals(viewer=user, client=client)
        # Read the deals once: the template asks whether there are any and then lists them.
        if choices_from is not None:
            client_deals = choices_from.client_deals
        else:
            client_deals = list(self.fields["deal"].queryset)
        self.client_deals = client_deals
        self.fields["deal"].choices = [("", "---------"), *((deal.pk, str(deal)) for deal in client_deals)]
        self.show_deal = bool(client_deals)
        if deal is not None:
            self.fields["deal"].initial = deal.pk
        if instance is not None:
            remember_shown_values(self)  # a save writes only what the user changed
        if not self.is_bound and instance is None:
            self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        check_date_in_range(value)
        return value

    def next_task(self) -> dict | None:
        """The next task to plan, or None when none was asked for (or when editing)."""
        return None if self.instance is not None else super().next_task()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "kind": data["kind"],
            "direction": data.get("direction") or "",
            "contact": data.get("contact"),
            "deal": data.get("deal"),
            "occurred_at": data.get("occurred_at"),
            "duration_minutes": data.get("duration_minutes") or 0,
            "outcome": data.get("outcome") or "",
        }
        if self.instance is not None and kwargs["occurred_at"] is None:
            kwargs["occurred_at"] = self.instance.occurred_at
        return kwargs


class TaskForm(forms.Form):
    """Plan or change a task. The client is fixed (the page it is planned from); its contact
    and deal are the client's, the owner one the viewer may give tasks to."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices, initial=TaskKind.CALL)
    # "What" to do (a text); the activity forms' "What" is a kind (a call, a meeting).
    title = forms.CharField(label=pgettext_lazy("what a task is to do", "What"), max_length=300)
    due_date = forms.DateField(label=_("Due"), widget=DATE)
    due_time = forms.TimeField(label=_("Time"), required=False, widget=TIME)
    duration_minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=24 * 60)
    contact = BoundedModelChoiceField(label=_("With"), queryset=Contact.objects.none(), required=False)
    deal = BoundedModelChoiceField(label=_("Deal"), queryset=Contact.objects.none(), required=False)
    owner = BoundedModelChoiceField(label=_("Who does it"), queryset=Contact.objects.none())
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args, client: Client, user, owners, instance: Task | None = None, deal=None, **kwargs
    ):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": instance.kind,
                    "title": instance.title,
                    "due_date": instance.due_date,
                    "due_time": instance.due_time,
                    "duration_minutes": instance.duration_minutes,
                    "contact": instance.contact_id,
                    "deal": instance.deal_id,
                    "owner": instance.owner_id,
                    "notes": instance.notes,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["contact"].queryset = client.contacts.all()
        self.fields["deal"].queryset = client_linked_deals(viewer=user, client=client)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = _owner_label
        if instance is not None:
            remember_shown_values(self)  # a save writes only what the user changed
        if instance is None and not self.is_bound:
            self.fields["owner"].initial = user.pk
            self.fields["due_date"].initial = timezone.localdate()
            if deal is not None:
                self.fields["deal"].initial = deal.pk
            contacts = list(self.fields["contact"].queryset[:2])
            if len(contacts) == 1:
                self.fields["contact"].initial = contacts[0].pk

    def clean_due_date(self):
        value = self.cleaned_data.get("due_date")
        check_date_in_range(value)
        return value

    def service_kwargs(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in self.fields} | {
            "notes": self.cleaned_data.get("notes") or ""
        }


class TaskCompleteForm(NextTaskForm):
    """Close a task: how it went, and optionally the next task (kind, what, when)."""

    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["outcome", "next_kind", "next_title", "next_due_date", "next_due_time"]

    @classmethod
    def for_task(cls, task, data=None) -> "TaskCompleteForm":
        """The form of one task's row: its fields' ids carry the task's, so a page with many
        rows (or a row answered in place) repeats no id."""
        return cls(data, auto_id=f"complete-{task.pk}-%s")


class DaySettingsForm(forms.Form):
    remind_minutes = forms.IntegerField(
        label=_("Remind me this many minutes before a timed task"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        help_text=_("Empty: no reminders."),
    )
    digest_time = forms.TimeField(
        label=_("Send me the day's digest at"), required=False, widget=TIME, help_text=_("Empty: no digest.")
    )

    def __init__(self, *args, instance, **kwargs):
        kwargs.setdefault(
            "initial", {"remind_minutes": instance.remind_minutes, "digest_time": instance.digest_time}
        )
        super().__init__(*args, **kwargs)
