from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import ActivityKind, Client, Direction


class ActivityLogForm(forms.Form):
    """The seconds-long "log a call / meeting / visit" form of the client and deal pages."""

    kind = forms.ChoiceField(label=_("What"), choices=ActivityKind.choices, initial=ActivityKind.CALL)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[("", "—"), *Direction.choices],
        required=False,
        initial=Direction.OUTGOING,
    )
    contact = forms.ModelChoiceField(label=_("With"), queryset=None, required=False)
    deal = forms.ModelChoiceField(label=_("Deal"), queryset=None, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=24 * 60, initial=5)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, client: Client, deal=None, **kwargs):
        super().__init__(*args, **kwargs)
        from deals.models import Deal

        self.client = client
        self.fields["contact"].queryset = client.contacts.all()
        self.fields["deal"].queryset = Deal.objects.filter(client=client).select_related("stage")
        if deal is not None:
            self.fields["deal"].initial = deal.pk
        if not self.is_bound:
            self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_step_due") and not (cleaned.get("next_step") or "").strip():
            self.add_error("next_step", _("Describe the next step that is due on that date."))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "direction": data.get("direction") or "",
            "contact": data.get("contact"),
            "deal": data.get("deal"),
            "occurred_at": data.get("occurred_at"),
            "duration_minutes": data.get("duration_minutes") or 0,
            "outcome": data.get("outcome") or "",
            "next_step": data.get("next_step") or "",
            "next_step_due": data.get("next_step_due"),
        }
