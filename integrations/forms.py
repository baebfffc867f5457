from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.models import WebhookEvent


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Endpoint URL"),
        max_length=500,
        help_text=_("HTTPS address that receives a POST with the JSON of each event."),
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/salesdept"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
