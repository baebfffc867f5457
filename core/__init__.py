"""Cross-app utilities that import no app: money, filters, exports, API conventions.

The bottom layer: every app may import core, core imports no app (tests/test_layering.py)."""
