"""Amounts and dates read naturally in every language: separators, the department's
currency, rounded summary figures with the exact one on hover, one date format each."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

AMOUNTS = (
    "{% load money %}{{ exact|money }}|{{ exact|money_short }}|{{ billions|money_short }}|"
    "{{ small|money_short }}|{{ none|money }}"
)


def render(language: str, template: str = AMOUNTS, **context) -> str:
    values = {
        "exact": Decimal("199948290.00"),
        "billions": Decimal("1990000000.00"),
        "small": Decimal("950.50"),
        "none": None,
        "day": datetime.date(2026, 12, 3),
    }
    with translation.override(language):
        return Template(template).render(Context(values | context))


def test_amounts_in_english():
    assert render("en").split("|") == [
        "199,948,290.00\xa0₽",
        '<span class="money-short" title="199,948,290.00\xa0₽">199.9M\xa0₽</span>',
        '<span class="money-short" title="1,990,000,000.00\xa0₽">1.99B\xa0₽</span>',
        '<span class="money-short" title="950.50\xa0₽">950.50\xa0₽</span>',
        "—",
    ]


def test_amounts_in_russian():
    assert render("ru").split("|")[:3] == [
        "199\xa0948\xa0290,00\xa0₽",
        '<span class="money-short" title="199\xa0948\xa0290,00\xa0₽">199,9\xa0млн\xa0₽</span>',
        '<span class="money-short" title="1\xa0990\xa0000\xa0000,00\xa0₽">1,99\xa0млрд\xa0₽</span>',
    ]


def test_amounts_in_chinese_count_in_yi():
    assert render("zh-hans").split("|")[1:3] == [
        '<span class="money-short" title="199,948,290.00\xa0₽">2亿\xa0₽</span>',
        '<span class="money-short" title="1,990,000,000.00\xa0₽">19.9亿\xa0₽</span>',
    ]


@pytest.mark.parametrize(("code", "symbol"), [("CNY", "¥"), ("USD", "$"), ("EUR", "€"), ("XYZ", "XYZ")])
def test_the_department_currency_is_shown(settings, code, symbol):
    settings.DEPARTMENT_CURRENCY = code
    assert render("en", "{% load money %}{{ small|money }}") == f"950.50\xa0{symbol}"


@pytest.mark.parametrize("garbage", ["abc", "", [], {}, "NaN-ish"])
def test_garbage_is_a_dash_not_an_error(garbage):
    assert render("en", "{% load money %}{{ value|money }}|{{ value|money_short }}", value=garbage) == "—|—"


def test_a_huge_amount_still_renders():
    shown = render("en", "{% load money %}{{ value|money_short }}", value=Decimal("99999999999999.99"))
    assert shown == '<span class="money-short" title="99,999,999,999,999.99\xa0₽">100,000B\xa0₽</span>'


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "3 Dec 2026"), ("ru", "3 декабря 2026"), ("zh-hans", "2026年12月3日")],
)
def test_one_date_format_per_language(language, shown):
    template = '{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}'
    assert render(language, template) == f"{shown}|{shown}"
