"""The deal list's bulk actions (core.bulk), registered in DealsConfig.ready(): each row
through the single action's service (``deal_update`` for the owner and the expected close,
``deal_forecast_set`` for the forecast category)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clients.bulk import PersonField
from core.bulk import BulkAction, BulkResource, register
from deals import rules, services
from deals.filters import DealFilter
from deals.models import Deal, ForecastCategory
from deals.selectors.deals import Clock, deal_list
from deals.tables import DealTable


class DealOwnerParams(serializers.Serializer):
    owner = PersonField(label=_("Owner"), help_text="The new owner's id.", options=rules.deal_owner_choices)

    def validate_owner(self, owner):
        if not rules.deal_owner_choices(self.context["user"]).filter(pk=owner.pk).exists():
            raise serializers.ValidationError(_("You may not give a deal to this person."))
        return owner


class ForecastParams(serializers.Serializer):
    category = serializers.ChoiceField(choices=ForecastCategory.choices, label=_("Forecast category"))


class ExpectedCloseParams(serializers.Serializer):
    expected_close = serializers.DateField(label=_("Expected close"))


def _reassign(*, by, record, params):
    services.deal_update(deal=record, by=by, data={"owner": params["owner"]})


def _forecast(*, by, record, params):
    services.deal_forecast_set(deal=record, by=by, category=params["category"])


def _expected_close(*, by, record, params):
    services.deal_update(deal=record, by=by, data={"expected_close": params["expected_close"]})


def _changes_deals(user) -> bool:
    return not rules.changes_no_deal(user)


DEALS = BulkResource(
    name="deals",
    label=_("deals"),
    rows=lambda user: Deal.objects.visible_to(user),
    list_rows=lambda request: deal_list(viewer=request.user, clock=Clock.for_request(request)),
    filterset=DealFilter,
    table=DealTable,
)
DEALS.add(
    BulkAction(
        name="reassign",
        label=_("Reassign"),
        apply=_reassign,
        params=DealOwnerParams,
        allowed=rules.can_reassign,
    )
)
DEALS.add(
    BulkAction(
        name="set_forecast_category",
        label=_("Set forecast category"),
        apply=_forecast,
        params=ForecastParams,
        allowed=_changes_deals,
    )
)
DEALS.add(
    BulkAction(
        name="set_expected_close",
        label=_("Set expected close"),
        apply=_expected_close,
        params=ExpectedCloseParams,
        allowed=_changes_deals,
    )
)


def register_bulk_actions() -> None:
    register(DEALS)
