from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrations.models import WebhookEvent
from integrations.services import url_error


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

    def clean_url(self):
        """A URL at all, checked with the other fields (the service's check, which may look
        the host up, ran only once the rest of the form was right)."""
        url = self.cleaned_data["url"].strip()
        if error := url_error(url):
            raise ValidationError(error)
        return url
