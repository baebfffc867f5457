"""The API's OpenAPI document as drf-spectacular generates it, generated once per test
process (about three seconds each time) for the tests that read it; each caller gets its
own copy to change."""

import copy
import functools


@functools.cache
def _generated() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def openapi_document() -> dict:
    return copy.deepcopy(_generated())
