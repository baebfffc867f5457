"""core.links.id_url: a URL reversed once per page, the id put in place of a marker."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.links import id_url


@pytest.mark.parametrize("name", ["deals:detail", "deals:move", "clients:detail"])
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_the_url_is_the_one_reverse_gives(name, pk):
    assert id_url(name, pk) == reverse(name, args=[pk])


def test_a_script_prefix_is_kept_apart():
    assert id_url("deals:detail", 7) == "/deals/7/"
    set_script_prefix("/crm/")
    try:
        assert id_url("deals:detail", 7) == "/crm/deals/7/"
    finally:
        clear_script_prefix()
    assert id_url("deals:detail", 7) == "/deals/7/"
