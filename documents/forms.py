"""Forms of the documents pages. They validate input; the services in documents.services
write (and check the rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.filters import BoundedModelChoiceField
from core.forms import date_input
from deals.models import Deal
from documents.models import Attachment, Contract, RequestKind, RequestPriority, RequestStatus
from documents.rules import request_owner_choices

DATE = date_input()


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True, max_length=10_000)


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=50)
    date = forms.DateField(label=_("Contract date"), widget=DATE)
    start_date = forms.DateField(label=_("Term start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("Term end"), required=False, widget=DATE)
    term_months = forms.IntegerField(
        label=_("Term, months"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Give the term as dates, as a number of months, or both."),
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    special_clauses = forms.CharField(
        label=_("Special clauses"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The text adapted for this client: what differs from the standard contract."),
    )

    def values(self) -> dict:
        return dict(self.cleaned_data)


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScanChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, attachment: Attachment) -> str:
        return attachment.name


class SignForm(forms.Form):
    scan = ScanChoiceField(label=_("Signed scan"), queryset=Attachment.objects.none(), empty_label=None)

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"].queryset = Attachment.objects.filter(contract=contract).order_by(
            "-created_at", "-pk"
        )


class DealChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, deal: Deal) -> str:
        return deal.title


class ContractChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, contract: Contract) -> str:
        return contract.number


class OwnerChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.full_name


class ClientRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=RequestPriority.choices, initial=RequestPriority.NORMAL
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    deal = DealChoiceField(label=_("Deal"), queryset=Deal.objects.none(), required=False)
    contract = ContractChoiceField(label=_("Contract"), queryset=Contract.objects.none(), required=False)
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, client, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deal"].queryset = Deal.objects.visible_to(viewer).filter(client=client)
        self.fields["contract"].queryset = Contract.objects.visible_to(viewer).filter(deal__client=client)
        self.fields["owner"].queryset = request_owner_choices(viewer).order_by("last_name", "first_name")
        self.fields["owner"].empty_label = _("The client's owner")


class RequestMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=RequestStatus.choices)
    resolution = forms.CharField(
        label=_("Resolution"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Client satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((str(n), str(n)) for n in range(1, 6))],
    )
