"""Forms of the deal pages. They validate input; the services in deals.services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from clients.models import Activity, Client
from core.filters import MAX_ID
from deals.models import Deal, DealType, FactKind, ForecastCategory, Stage, StageKind, Verdict
from deals.rules import can_reassign, deal_owner_choices
from deals.selectors.deals import renewable_deals
from deals.services.evidence import FACT_TEXT_MAX_LENGTH, REVIEW_COMMENT_MAX_LENGTH

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class DealChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, deal: Deal) -> str:
        closed = deal.closed_at.isoformat() if deal.closed_at else ""
        return f"{deal.client.name} — {deal.title} {closed}".strip()


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, activity: Activity) -> str:
        moment = timezone.localtime(activity.occurred_at).strftime("%Y-%m-%d %H:%M")
        return f"{activity.get_kind_display()} · {moment}"


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} ({user.team})" if user.team_id else user.full_name


class DealForm(forms.Form):
    """Create (with client and starting stage) or edit a deal (never its stage)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    amount = forms.DecimalField(label=_("Amount"), **MONEY_FIELD)
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), empty_label=None)
    probability = forms.IntegerField(
        label=_("Probability, %"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to use the stage's default probability."),
    )
    expected_close = forms.DateField(label=_("Expected close"), required=False, widget=DATE)
    deal_type = forms.ChoiceField(label=_("Type"), choices=DealType.choices, initial=DealType.NEW)
    renewal_of = DealChoiceField(
        label=_("Renews"),
        queryset=Deal.objects.none(),
        required=False,
        help_text=_(
            "For a renewal: the won deal it continues. Left empty, it is linked when the renewal is won."
        ),
    )
    service_start = forms.DateField(label=_("Service period start"), required=False, widget=DATE)
    service_end = forms.DateField(label=_("Service period end"), required=False, widget=DATE)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_due = forms.DateField(label=_("Next step due"), required=False, widget=DATE)
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, viewer, deal: Deal | None = None, **kwargs):
        self.viewer = viewer
        self.deal = deal
        if deal is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(deal, name)
                for name in (
                    "title",
                    "amount",
                    "probability",
                    "expected_close",
                    "deal_type",
                    "service_start",
                    "service_end",
                    "next_step",
                    "next_step_due",
                )
            } | {"renewal_of": deal.renewal_of_id, "owner": deal.owner_id}
        super().__init__(*args, **kwargs)
        if deal is None:
            self.fields["client"].queryset = Client.objects.visible_to(viewer).order_by("name", "pk")
            stages = Stage.objects.filter(kind=StageKind.OPEN, is_active=True).order_by("order", "pk")
            self.fields["stage"].queryset = stages
            self.fields["stage"].initial = stages.first()
        else:
            del self.fields["client"]
            del self.fields["stage"]
        self.fields["renewal_of"].queryset = renewable_deals(
            viewer=viewer, client_id=deal.client_id if deal else self._client_id()
        ).exclude(pk=deal.pk if deal else None)
        if can_reassign(viewer):
            self.fields["owner"].queryset = (
                deal_owner_choices(viewer).select_related("team").order_by("last_name", "first_name")
            )
            self.fields["owner"].required = deal is not None
            self.fields["owner"].empty_label = _("Me") if deal is None else None
        else:
            del self.fields["owner"]

    def _client_id(self) -> int | None:
        """The chosen client's id, or None when there is none or it is no id at all
        (``?client=abc``, ``-1``, beyond what the database holds)."""
        raw = self.data.get("client") if self.is_bound else self.initial.get("client")
        raw = raw.pk if isinstance(raw, Client) else raw
        text = str(raw if raw is not None else "").strip()
        if not (text.isascii() and text.isdigit()):
            return None
        value = int(text)
        return value if 0 < value <= MAX_ID else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_step_due") and not (cleaned.get("next_step") or "").strip():
            self.add_error("next_step", _("Describe the next step that is due on that date."))
        start, end = cleaned.get("service_start"), cleaned.get("service_end")
        if start and end and end < start:
            self.add_error("service_end", _("The service period cannot end before it starts."))
        return cleaned

    def values(self) -> dict:
        """What the services take: everything but client and stage (create passes them)."""
        data = dict(self.cleaned_data)
        data.pop("client", None)
        data.pop("stage", None)
        if "owner" in data and data["owner"] is None:
            data.pop("owner")
        data["next_step"] = data.get("next_step") or ""
        return data


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Move to"), queryset=Stage.objects.filter(is_active=True))
    lost_reason = forms.CharField(
        label=_("Why was it lost?"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. chose a competitor on price")}),
    )


class ForecastForm(forms.Form):
    forecast_category = forms.ChoiceField(label=_("Forecast category"), choices=ForecastCategory.choices)


class ForecastOverrideForm(forms.Form):
    forecast_override = forms.ChoiceField(
        label=_("Manager's category"),
        choices=[("", _("No override (the owner's)")), *ForecastCategory.choices],
        required=False,
    )
    forecast_override_note = forms.CharField(
        label=_("Why"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. no signed budget yet")}),
    )


class FactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Fact"), choices=FactKind.choices)
    text = forms.CharField(
        label=_("What did the client do or ask?"),
        max_length=FACT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("e.g. their buyer asked for a contract draft")}
        ),
    )
    happened_on = forms.DateField(label=_("When"), required=False, widget=DATE)
    activity = ActivityChoiceField(label=_("From activity"), queryset=Activity.objects.none(), required=False)

    def __init__(self, *args, deal: Deal, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        activities = Activity.objects.visible_to(viewer).filter(deal=deal)
        self.fields["activity"].queryset = activities
        self.offers_activities = activities.exists()
        if not self.is_bound:
            self.fields["happened_on"].initial = timezone.localdate()


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Which fact proves the intent? What is missing?")}
        ),
    )
    next_action = forms.CharField(label=_("Agreed next action"), required=False, max_length=300)
    next_action_due = forms.DateField(label=_("By"), required=False, widget=DATE)
