"""Fixtures for browser tests: one real app server and one headless Chromium per session."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests.conftest import require_browser
from tests.support.live import REPO, streamlit_server

SCREENSHOTS = REPO / "screenshots"
VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "projector": {"width": 1920, "height": 1080}}


@contextlib.contextmanager
def tab(browser, size="laptop"):
    """A page of its own browser context at one of ``VIEWPORTS``, closed after."""
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def app_url():
    """Base URL of a real ``streamlit run app.py`` on 127.0.0.1."""
    require_browser()
    with streamlit_server("app.py") as base:
        yield base


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
