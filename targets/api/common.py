"""Field settings the targets API's serializers share."""

from __future__ import annotations

from core.filters import MAX_ID

MONEY = {"max_digits": 14, "decimal_places": 2}
RECORD_ID = {"min_value": 1, "max_value": MAX_ID}
