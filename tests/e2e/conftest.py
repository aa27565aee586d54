"""Fixtures for browser tests: one real app server and one headless Chromium per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.live import REPO, chromium_path, launch_chromium, streamlit_server

SCREENSHOTS = REPO / "screenshots"
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "projector": {"width": 1920, "height": 1080}}


def _require_browser() -> None:
    if chromium_path() is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must install it")
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def app_url():
    """Base URL of a real ``streamlit run app.py`` on 127.0.0.1."""
    _require_browser()
    with streamlit_server("app.py") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (its own Streamlit session) at the laptop size."""
    context = browser.new_context(viewport=VIEWPORTS["laptop"])
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
