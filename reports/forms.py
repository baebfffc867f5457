from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models import ReportKind


class RunTriggerForm(forms.Form):
    run_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kinds = forms.MultipleChoiceField(
        label=_("Reports"), choices=ReportKind.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["run_date"].initial = timezone.localdate()
            self.fields["kinds"].initial = list(ReportKind.values)


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("What is being done about it?")}),
    )


class NotificationPreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("E-mail language"), choices=settings.LANGUAGES)
    email_enabled = forms.BooleanField(label=_("Send me e-mails"), required=False)
