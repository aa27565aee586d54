"""No leaks of internals, in a real browser.

- An app that fails with an internal error (tests/e2e/apps/raises_app.py: a ValueError whose
  message holds a secret path and token), served with the project's .streamlit/config.toml
  (showErrorDetails = "type"), shows the exception's type and nothing else: no message, no
  stack trace, no file path. A control run of the same app with full error details shows
  the secrets, so the probe itself can see a leak.
- A link whose parameters carry Markdown or HTML (a phishing link, a tracking image, a
  script tag) is quoted as plain text in the page's warning, never rendered.
"""

from __future__ import annotations

import ast
import os

import pytest

from tests.support.live import REPO, streamlit_server, wait_idle

pytestmark = pytest.mark.e2e

RAISES_APP = "tests/e2e/apps/raises_app.py"


def _app_constants() -> dict[str, str]:
    """SECRET_PATH and SECRET_TOKEN as written in the raising app (not imported: it raises)."""
    tree = ast.parse((REPO / RAISES_APP).read_text())
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }


SECRETS = _app_constants()
#: Anything that would give away the code, its location or the message.
LEAK_MARKERS = [
    SECRETS["SECRET_PATH"], SECRETS["SECRET_TOKEN"], "could not open", "Traceback",
    'File "', "load_credentials", "raises_app.py", str(REPO), "/work/", "site-packages",
]


def _error_page_text(browser, base: str, screenshot_dir=None, name: str = "") -> tuple[str, str]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(base + "/")
        wait_idle(page)
        page.wait_for_selector("[data-testid='stException']", timeout=30_000)
        if screenshot_dir is not None:
            page.screenshot(path=str(screenshot_dir / f"{name}-laptop.png"), full_page=True)
        exception = page.locator("[data-testid='stException']").inner_text()
        return exception, page.content()
    finally:
        context.close()


def test_an_internal_error_shows_its_type_but_no_message_trace_or_path(browser, screenshot_dir):
    with streamlit_server(RAISES_APP) as base:
        exception, html = _error_page_text(browser, base, screenshot_dir, "error-redacted")
    assert "ValueError" in exception
    for marker in LEAK_MARKERS:
        assert marker not in exception, f"{marker!r} reached the page"
        assert marker not in html, f"{marker!r} is in the page's HTML"


def test_the_probe_sees_a_leak_when_details_are_on(browser, monkeypatch):
    """Control run: with showErrorDetails=full the same checks find the secrets."""
    monkeypatch.setitem(os.environ, "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
    with streamlit_server(RAISES_APP) as base:
        exception, _ = _error_page_text(browser, base)
    assert SECRETS["SECRET_PATH"] in exception and "load_credentials" in exception


HOSTILE_LINK_VALUES = {
    "k": "[log in](https://evil.example/a)",  # short enough to be quoted whole
    "z0": "![t](https://evil.example/pixel.png)",
    "z1": "<img src=https://evil.example/x.png onerror=alert(1)>",
    "t": "<script>alert(document.cookie)</script>",
}


def test_markup_in_a_link_is_shown_as_text_not_rendered(page, app_url, screenshot_dir):
    from urllib.parse import urlencode

    page.goto(f"{app_url}/softmax?{urlencode(HOSTILE_LINK_VALUES)}")
    wait_idle(page)
    warning = page.locator("[data-testid='stAlertContentWarning']").first
    warning.wait_for()
    page.screenshot(path=str(screenshot_dir / "hostile-link-laptop.png"))
    text = warning.inner_text()
    for key in HOSTILE_LINK_VALUES:
        assert key in text
    assert "[log in](https://evil.example/a)" in text  # quoted literally
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='evil.example']").count() == 0
    assert page.locator("[data-testid='stAlertContentWarning'] script").count() == 0
    assert warning.locator("code").count() >= len(HOSTILE_LINK_VALUES)
