"""Fixtures shared by every test folder: one headless Chromium per test session.

Playwright's sync API allows one running instance per thread, so every test that drives
a browser shares this one.
"""

from __future__ import annotations

import os

import pytest

from tests.support.live import chromium_path, launch_chromium


def require_browser() -> None:
    if chromium_path() is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must install it")
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


