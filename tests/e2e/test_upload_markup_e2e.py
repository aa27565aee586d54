"""An uploaded file's name and cells are shown as plain text, never rendered as Markdown."""

from __future__ import annotations

import pytest

from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e

HOSTILE_NAME = "[click](https://evil.example).csv"
HOSTILE_CSV = (
    b"x1,x2,label\n1,2,0\n![i](https://evil.example/p.png) <img src=x>,2,1\n"
)


def test_hostile_upload_is_quoted_literally(page, app_url, screenshot_dir):
    page.goto(app_url + "/training?dataset=custom")
    wait_idle(page)
    page.locator(".st-key-upload input[type='file']").set_input_files(
        files=[{"name": HOSTILE_NAME, "mimeType": "text/csv", "buffer": HOSTILE_CSV}]
    )
    error = page.locator("[data-testid='stAlertContentError']").first
    error.wait_for(timeout=30_000)
    wait_idle(page)
    text = error.inner_text()
    page.screenshot(path=str(screenshot_dir / "upload-markup-laptop.png"))

    assert HOSTILE_NAME in text  # the name reads exactly as the learner wrote it
    assert "![i](https://evil.example/p.png)" in text
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='evil.example'], img[src='x']").count() == 0
