"""The app shell in a real browser: the home page lists every lesson, each path loads."""

from __future__ import annotations

import pytest

from explorer.pages.lessons import LESSONS
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e


def test_home_lists_every_lesson_and_links_work(page, app_url):
    page.goto(app_url + "/")
    wait_idle(page)
    for lesson in LESSONS:
        card = page.locator(f".st-key-card_{lesson.url_path}")
        assert card.is_visible(), lesson.url_path
        assert lesson.title in card.inner_text()
    first = LESSONS[0].url_path
    page.locator(f".st-key-card_{first} a[href$='{first}']").first.click()
    page.wait_for_url(f"**/{LESSONS[0].url_path}")
    wait_idle(page)
    assert "Page not found" not in page.content()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_home_screenshot(browser, app_url, screenshot_dir, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(app_url + "/")
    wait_idle(page)
    path = screenshot_dir / f"home-{viewport}.png"
    page.screenshot(path=str(path), full_page=True)
    context.close()
    assert path.stat().st_size > 10_000
