"""A number box takes a decimal point whatever the page's language: a value written by a
template in the language's format ("25000,00" in Russian) shows as an empty box, and the form
then says "required". Every template that writes a number box's value by hand unlocalizes it
(Django's own widgets never localize theirs)."""

import re
from pathlib import Path

NUMBER_INPUT = re.compile(r"<input\b[^>]*\btype=\"number\"[^>]*>", re.S)
WRITTEN_VALUE = re.compile(r"\bvalue=\"\{\{(.*?)\}\}\"")


def test_every_number_box_a_template_writes_is_unlocalized():
    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in sorted(root.rglob("*.html")):
        for tag in NUMBER_INPUT.findall(template.read_text()):
            value = WRITTEN_VALUE.search(tag)
            if value and "unlocalize" not in value.group(1):
                offenders.append(f"{template.relative_to(root)}: {value.group(0)}")
    assert offenders == []
