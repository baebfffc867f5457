"""The API's request parsers. A module of its own (not core.api) because DRF's APIView reads
DEFAULT_PARSER_CLASSES when rest_framework.views is imported, which core.api does."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.utils import json

DEFAULT_JSON_MAX_DEPTH = 64
# A JSON string (escapes included) and the brackets that open and close a level.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_too_deep(text: str, limit: int) -> bool:
    """Whether a JSON text nests arrays and objects more than ``limit`` levels deep
    (brackets inside strings do not count). Checked before parsing: Python's parser
    recurses once per level and fails with a RecursionError around 1,000."""
    depth = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a depth limit (setting ``API_JSON_MAX_DEPTH``): a body
    nested deeper is a 400 ``{"detail": …}``, not a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH)
        try:
            text = (stream.read() if stream is not None else b"").decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if json_too_deep(text, limit):
            raise exceptions.ParseError(
                _("JSON parse error - the data is nested more than %(limit)d levels deep.") % {"limit": limit}
            )
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(_("JSON parse error - the data is nested too deeply.")) from None
        except ValueError as error:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
