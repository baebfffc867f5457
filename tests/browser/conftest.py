"""The browser fixtures live in tests/conftest.py (one Playwright per test session, shared
by every app's browser tests); the launch settings in tests/browser/support.py."""

from tests.browser.support import CHROMIUM, LAUNCH_ARGS

__all__ = ["CHROMIUM", "LAUNCH_ARGS"]
