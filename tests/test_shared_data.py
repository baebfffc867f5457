"""tests/shared_data.py: a test asking for the small department shares it with the next tests
of its module, in one transaction, instead of building it again. An autouse fixture the
mechanism does not know stops the sharing for every test (the suite then takes minutes more),
so this test fails when one is added without being named harmless there."""

import pytest

from tests.shared_data import share_key


@pytest.mark.django_db
def test_a_test_with_the_department_shares_it(request, department):
    assert share_key(request.node) == (request.node.module, ("department",))


@pytest.mark.django_db
def test_the_next_test_reads_the_same_rows(request, department):
    from tests.shared_data import _open

    assert _open.key == share_key(request.node)
    assert _open.atomic is not None
