"""The home page's date reads in the language's own order: weekday first in English and
Russian, after the date in Chinese ("2026年12月5日 星期六", not "星期六, 2026年12月5日")."""

import pytest
from django.utils import formats, timezone, translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shape"),
    [("en", "{weekday}, {date}"), ("ru", "{weekday}, {date}"), ("zh-hans", "{date} {weekday}")],
)
def test_the_home_pages_date_in_the_languages_order(client, department, language, shape):
    client.force_login(department.rep_north)
    with translation.override(language):
        today = timezone.localdate()
        expected = shape.format(weekday=formats.date_format(today, "l"), date=formats.date_format(today))
        page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f" · {expected}</p>" in page
