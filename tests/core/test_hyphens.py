"""The board's column headers carry soft hyphens at the syllables of long words, in the
reader's language (core/templatetags/hyphens.py)."""

from django.template import Context, Template
from django.utils import translation

SOFT = "\u00ad"


def rendered(text: str, language: str) -> str:
    with translation.override(language):
        return Template("{% load hyphens %}{{ text|hyphenated }}").render(Context({"text": text}))


def test_long_words_break_at_their_syllables_in_the_readers_language():
    assert rendered("Unreviewed 7d", "en") == f"Unre{SOFT}viewed 7d"
    assert rendered("Закрытие просрочено", "ru") == f"Закры{SOFT}тие про{SOFT}сро{SOFT}чено"


def test_short_words_chinese_and_markup_are_left_as_they_are():
    assert rendered("Gap to plan", "en") == "Gap to plan"  # every word shorter than eight letters
    assert rendered("7 天未点评", "zh-hans") == "7 天未点评"  # no dictionary: no break points
    assert rendered("Unreviewed <7d>", "en") == f"Unre{SOFT}viewed &lt;7d&gt;"  # still escaped
