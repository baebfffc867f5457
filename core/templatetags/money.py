"""Amounts in templates: ``{{ amount|money }}`` prints the exact figure with the language's
separators and the department's currency (settings.DEPARTMENT_CURRENCY);
``{{ amount|money_short }}`` rounds a large figure for a summary card ("199.9M ₽",
"199,9 млн ₽", "2亿 ¥"...) with the exact one in its ``title``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext

register = template.Library()

CURRENCY_SYMBOLS = {"RUB": "₽", "CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸", "BYN": "Br"}
NBSP = "\xa0"


def currency_symbol(code: str | None = None) -> str:
    code = code or settings.DEPARTMENT_CURRENCY
    return CURRENCY_SYMBOLS.get(code, code)


def _with_currency(figure: str) -> str:
    return f"{figure}{NBSP}{currency_symbol()}"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


@register.filter
def money(value) -> str:
    """The exact amount, grouped, two decimals, with the currency sign; "—" for none."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return _with_currency(floatformat(amount, "2g"))


def _scales() -> list[tuple[Decimal, str]]:
    """(unit, suffix) from the largest, in the reader's language: Chinese counts in 万 and 亿."""
    language = (get_language() or "en").lower()
    if language.startswith("zh"):
        return [(Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")]
    return [
        (Decimal(10) ** 9, pgettext("amount suffix: billions", "B")),
        (Decimal(10) ** 6, pgettext("amount suffix: millions", "M")),
        (Decimal(10) ** 3, pgettext("amount suffix: thousands", "K")),
    ]


def short_figure(amount: Decimal) -> str:
    """199948290 → "199.9M" (en), "199,9 млн" (ru), "2亿" (zh)."""
    for unit, suffix in _scales():
        if abs(amount) >= unit:
            places = 2 if abs(amount / unit) < 10 else 1
            scaled = (amount / unit).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
            figure = floatformat(scaled, f"{max(0, -scaled.as_tuple().exponent)}g")
            separator = "" if suffix in ("亿", "万") or len(suffix) == 1 else NBSP
            return f"{figure}{separator}{suffix}"
    return floatformat(amount, "2g")


@register.filter
def money_short(value) -> str:
    """A summary card's amount: rounded when large, the exact figure on hover."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return format_html(
        '<span class="money-short" title="{}">{}</span>', money(amount), _with_currency(short_figure(amount))
    )
