"""A select over a set that grows with the department (a head's 30,000 clients, every won
deal): it lists the chosen choice and the first ``limit`` others, and a search box above it
asks ``options_url`` for the ones matching what is typed; htmx swaps the select's options
(core.widgets.options_response answers). Validation is the field's, over the whole set."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.filters import SEARCH_MAX_LENGTH, parse_id

OPTIONS_SHOWN = 50


def _ids(values) -> list[int]:
    return [number for number in map(parse_id, values) if number is not None]


class SearchSelect(forms.Select):
    template_name = "core/widgets/search_select.html"

    def __init__(
        self,
        attrs=None,
        *,
        options_url: str = "",
        include: str = "",
        refresh_on: str = "",
        limit: int = OPTIONS_SHOWN,
    ):
        super().__init__(attrs)
        self.options_url = options_url
        self.include = include  # other fields the search sends along (a selector for hx-include)
        self.refresh_on = refresh_on  # a field whose change asks for the options again
        self.limit = limit

    def optgroups(self, name, value, attrs=None):
        """The chosen choice, then the first ``limit`` of the others: not every row."""
        iterator = self.choices
        queryset = getattr(iterator, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        field = iterator.field
        first = list(queryset[: self.limit])
        shown = {item.pk for item in first}
        chosen = [item for item in queryset.filter(pk__in=_ids(value)) if item.pk not in shown]
        choices = [("", field.empty_label)] if field.empty_label is not None else []
        choices += [iterator.choice(item) for item in [*chosen, *first]]
        try:
            self.choices = choices
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = iterator

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "options_url": self.options_url,
                "include": self.include,
                "refresh_on": self.refresh_on,
                "search_max_length": SEARCH_MAX_LENGTH,
                "search_label": _("Search to choose among all"),
            }
        )
        return context


def options_response(request, field: forms.ModelChoiceField, queryset, *, lookups: tuple[str, ...]):
    """The ``<option>``s of ``field`` one of whose ``lookups`` contains the search term (the
    first OPTIONS_SHOWN, and a line saying when more match), for a SearchSelect's search box."""
    term = request.GET.get("search", "").strip()[:SEARCH_MAX_LENGTH].replace("\x00", "")
    if term:
        matches = Q()
        for lookup in lookups:
            matches |= Q(**{f"{lookup}__icontains": term})
        queryset = queryset.filter(matches)
    rows = list(queryset[: OPTIONS_SHOWN + 1])
    return render(
        request,
        "core/widgets/options.html",
        {
            "empty_label": field.empty_label,
            "options": [(item.pk, field.label_from_instance(item)) for item in rows[:OPTIONS_SHOWN]],
            "more": len(rows) > OPTIONS_SHOWN,
        },
    )
