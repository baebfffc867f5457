"""Forms of the deal pages. They validate input; the services in deals.services write."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from clients.models import Activity, Client, Contact
from core.filters import BoundedModelChoiceField, parse_id
from core.forms import date_input, remember_shown_values
from core.widgets import SearchSelect
from deals.models import (
    MAX_WARNING_DAYS,
    Deal,
    DealLine,
    DealType,
    FactKind,
    ForecastCategory,
    LostReason,
    Product,
    QuoteLanguage,
    Stage,
    StageKind,
    Verdict,
    WarningSettings,
)
from deals.rules import can_reassign, deal_owner_choices
from deals.selectors.deals import renewable_deals
from deals.services.evidence import FACT_TEXT_MAX_LENGTH, REVIEW_COMMENT_MAX_LENGTH

DATE = date_input()
MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class DealChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, deal: Deal) -> str:
        closed = date_format(deal.closed_at, "SHORT_DATE_FORMAT") if deal.closed_at else ""
        return f"{deal.client.name} — {deal.title} {closed}".strip()


class ActivityChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, activity: Activity) -> str:
        moment = timezone.localtime(activity.occurred_at).strftime("%Y-%m-%d %H:%M")
        return f"{activity.get_kind_display()} · {moment}"


class OwnerChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} ({user.team})" if user.team_id else user.full_name


class DealForm(forms.Form):
    """Create (with client and starting stage) or edit a deal (never its stage)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    client = BoundedModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    amount = forms.DecimalField(label=_("Amount"), **MONEY_FIELD)
    stage = BoundedModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), empty_label=None)
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
                )
            } | {"renewal_of": deal.renewal_of_id, "owner": deal.owner_id}
        super().__init__(*args, **kwargs)
        # a head sees every client and every won deal: the selects list a page of them and
        # search the rest (core.widgets.SearchSelect), set before their querysets bind them
        self.fields["renewal_of"].widget = SearchSelect(
            options_url=reverse("deals:renewal_options") + (f"?deal={deal.pk}" if deal is not None else ""),
            include="" if deal is not None else "[name=client]",
            refresh_on="" if deal is not None else "[name=client]",
        )
        if deal is None:
            self.fields["client"].widget = SearchSelect(options_url=reverse("deals:client_options"))
            self.fields["client"].queryset = Client.objects.visible_to(viewer).order_by("name", "pk")
            stages = Stage.objects.filter(kind=StageKind.OPEN, is_active=True).order_by("order", "pk")
            self.fields["stage"].queryset = stages
            self.fields["stage"].initial = stages.first()
        else:
            del self.fields["client"]
            del self.fields["stage"]
            if deal.lines.exists():
                # A deal with lines takes its amount from them (deals.pricing): shown, not typed.
                self.fields["amount"].disabled = True
                self.fields["amount"].help_text = _("The sum of the deal's lines before tax.")
        self.fields["renewal_of"].queryset = (
            renewable_deals(viewer=viewer, client_id=deal.client_id if deal else self._client_id())
            .exclude(pk=deal.pk if deal else None)
            .order_by("-closed_at", "-pk")  # the latest won first, listed and searched alike
        )
        if can_reassign(viewer):
            self.fields["owner"].queryset = (
                deal_owner_choices(viewer).select_related("team").order_by("last_name", "first_name")
            )
            self.fields["owner"].required = deal is not None
            self.fields["owner"].empty_label = _("Me") if deal is None else None
        else:
            del self.fields["owner"]
        if deal is not None:
            remember_shown_values(self)  # a save writes only what the user changed

    def _client_id(self) -> int | None:
        """The chosen client's id, or None when there is none or it is no id at all
        (``?client=abc``, ``-1``, beyond what the database holds)."""
        raw = self.data.get("client") if self.is_bound else self.initial.get("client")
        return parse_id(raw.pk if isinstance(raw, Client) else raw)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("service_start"), cleaned.get("service_end")
        if start and end and end < start:
            self.add_error("service_end", _("The service period cannot end before it starts."))
        return cleaned

    def values(self) -> dict:
        """What the services take: everything but client and stage (create passes them)."""
        data = dict(self.cleaned_data)
        data.pop("client", None)
        data.pop("stage", None)
        if self.fields.get("amount") is not None and self.fields["amount"].disabled:
            data.pop("amount", None)
        if "owner" in data and data["owner"] is None:
            data.pop("owner")
        return data


class MoveForm(forms.Form):
    stage = BoundedModelChoiceField(label=_("Move to"), queryset=Stage.objects.filter(is_active=True))
    # The stage the deal was at on the page: moved by someone else meanwhile, the move is a
    # conflict rather than a move from where the user did not see it (a lost deal reopened).
    from_stage = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    # Required for a lost stage only: the service says so (one message for pages and API).
    lost_reason = BoundedModelChoiceField(
        label=_("Why was it lost?"),
        queryset=LostReason.objects.filter(is_active=True),
        required=False,
        empty_label=_("Choose a reason"),
        error_messages={"invalid_choice": _("This reason is no longer in use: choose another one.")},
    )
    lost_comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. chose a competitor on price")}),
    )


class DiscountDecisionForm(forms.Form):
    """What an approve or refuse button carries: the discount the decision was made on (the
    API reads the same field, deals.api_commerce.DiscountDecisionSerializer)."""

    discount_percent = forms.DecimalField(
        required=False,
        max_digits=5,
        decimal_places=2,
        error_messages={"invalid": _("Give the discount you decided on as a number.")},
    )


class LostReasonForm(forms.Form):
    """One reason of the head's list (the service checks the name is not taken)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=100_000, initial=0)
    is_active = forms.BooleanField(label=_("Offered"), required=False, initial=True)


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
    next_action_due = forms.DateField(
        label=pgettext_lazy("a next action's due date", "By"), required=False, widget=DATE
    )


class WarningSettingsForm(forms.ModelForm):
    """The head's thresholds and severities, plus one "days allowed" field per open stage."""

    class Meta:
        model = WarningSettings
        fields = [
            "no_activity_days",
            "review_cadence_days",
            "past_close_severity",
            "no_activity_severity",
            "no_open_task_severity",
            "stale_in_stage_severity",
            "not_reviewed_severity",
            "attention_severity",
        ]

    def __init__(self, *args, stages: list[Stage], **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages
        for stage in stages:
            self.fields[self.stage_field(stage)] = forms.IntegerField(
                label=_("Days allowed in “%(stage)s”") % {"stage": stage.display_name},
                required=False,
                min_value=1,
                max_value=MAX_WARNING_DAYS,
                initial=stage.max_days_in_stage,
                help_text=_("Empty: no limit."),
            )

    @staticmethod
    def stage_field(stage: Stage) -> str:
        return f"stage_{stage.pk}_days"

    def stage_days(self) -> dict[int, int | None]:
        return {stage.pk: self.cleaned_data.get(self.stage_field(stage)) for stage in self.stages}

    def setting_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- products, deal lines, proposals ---------------------------------------------------

PERCENT_FIELD = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="pcs")
    list_price = forms.DecimalField(label=_("List price"), **MONEY_FIELD)
    tax_rate = forms.DecimalField(label=_("Tax rate, %"), initial=0, **PERCENT_FIELD)
    max_discount_percent = forms.DecimalField(
        label=_("Max discount without approval, %"), required=False, **PERCENT_FIELD
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("max_discount_percent") is None:
            data.pop("max_discount_percent", None)
        return data


class ProductChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, product: Product) -> str:
        return f"{product.code} · {product.name}"


class DealLineForm(forms.Form):
    """A line of a deal: a product (its name, unit, price and tax rate unless given) or a
    free-text name with its price."""

    product = ProductChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("Free text")
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=3, min_value=Decimal("0.001"), initial=1
    )
    unit_price = forms.DecimalField(label=_("Unit price"), required=False, **MONEY_FIELD)
    discount_percent = forms.DecimalField(label=_("Discount, %"), initial=0, **PERCENT_FIELD)
    tax_rate = forms.DecimalField(label=_("Tax rate, %"), required=False, **PERCENT_FIELD)

    def __init__(self, *args, line: DealLine | None = None, **kwargs):
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "product": line.product_id,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "tax_rate": line.tax_rate,
            }
        super().__init__(*args, **kwargs)
        products = Product.objects.active()
        if line is not None and line.product_id:
            products = Product.objects.filter(Q(is_active=True) | Q(pk=line.product_id))
        self.fields["product"].queryset = products.order_by("name", "pk")
        self.line = line

    def clean(self):
        cleaned = super().clean()
        named = "name" in self.errors or (cleaned.get("name") or "").strip()  # a name too long is named
        if not cleaned.get("product") and not named:
            self.add_error("name", _("Choose a product or name the line."))
        if (
            not cleaned.get("product")
            and cleaned.get("unit_price") is None
            and "unit_price" not in self.errors
        ):
            self.add_error("unit_price", _("Give the unit price of a line without a product."))
        return cleaned

    def values(self) -> dict:
        """What the line services take; an empty price or tax rate means "the product's"."""
        data = dict(self.cleaned_data)
        data["name"] = (data.get("name") or "").strip()
        return data


class QuoteForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=QuoteLanguage.choices)
    contact = BoundedModelChoiceField(label=_("Contact"), queryset=Contact.objects.none(), required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    payment_terms = forms.CharField(
        label=_("Payment terms"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    delivery_terms = forms.CharField(
        label=_("Delivery terms"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(client_id=deal.client_id).order_by(
            "name", "pk"
        )


class QuoteAcceptForm(forms.Form):
    move_deal = forms.BooleanField(
        label=_("Move the deal to the contract stage"), required=False, initial=True
    )
