"""/softmax in a real browser: the rendered Jacobian is the library's, it follows the keyboard,
the URL follows the sliders, a click on a cell derives that entry; screenshots at both sizes."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from explorer import softmax_jacobian
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import read_chart, wait_idle

pytestmark = pytest.mark.e2e

LOGITS = [2.0, -1.0, 0.5, 3.0]
T = 0.7
QUERY = "k=4&z0=2&z1=-1&z2=0.5&z3=3&t=0.7"
#: The thumb of a Streamlit 1.67 slider is a visually hidden <input type=range> (implicit
#: role "slider"); it takes the keyboard focus.
THUMB = ".st-key-{key} input[type='range']"


def rendered_jacobian(page) -> np.ndarray | None:
    traces = read_chart(page, "jacobian")
    if not traces:
        return None
    return np.asarray(traces[0]["z"], dtype=np.float64)


def poll(check, timeout: float = 20.0, interval: float = 0.2):
    """Call ``check`` until it returns something truthy; return that, or fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def open_softmax(page, app_url: str, query: str = QUERY) -> None:
    page.goto(f"{app_url}/softmax?{query}")
    wait_idle(page)
    poll(lambda: rendered_jacobian(page) is not None)


def full_page_screenshot(page, path) -> None:
    """Streamlit scrolls inside its main element, so grow the viewport to the content first."""
    size = page.viewport_size
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stAppViewContainer]')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    time.sleep(0.5)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def test_rendered_jacobian_is_the_library_one_and_follows_the_keyboard(page, app_url):
    open_softmax(page, app_url)
    np.testing.assert_allclose(rendered_jacobian(page), softmax_jacobian(LOGITS, T), atol=1e-6)

    before = rendered_jacobian(page)
    page.locator(THUMB.format(key="z0")).focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")

    def settled():
        z0 = parse_qs(urlsplit(page.url).query).get("z0")
        shown = rendered_jacobian(page)
        if not z0 or shown is None or np.array_equal(shown, before):
            return None
        expected = softmax_jacobian([float(z0[0]), *LOGITS[1:]], T)
        return float(z0[0]) if np.allclose(shown, expected, atol=1e-6) else None

    z0 = poll(settled)
    assert z0 == pytest.approx(2.3)
    assert "z0=2.3" in page.url
    wait_idle(page)
    np.testing.assert_allclose(
        rendered_jacobian(page), softmax_jacobian([2.3, *LOGITS[1:]], T), atol=1e-6
    )


def test_clicking_a_cell_derives_that_entry(page, app_url):
    open_softmax(page, app_url)
    story = page.locator(".st-key-story_box")
    assert "i = 0, j = 1" in story.inner_text()
    page.set_viewport_size({"width": 1280, "height": 2400})  # the whole heatmap on screen
    plot = page.locator(".st-key-jacobian .nsewdrag").first.bounding_box()
    i, j, k = 2, 3, 4
    page.mouse.click(plot["x"] + (j + 0.5) * plot["width"] / k,
                     plot["y"] + (i + 0.5) * plot["height"] / k)
    poll(lambda: "i = 2, j = 3" in story.inner_text())
    wait_idle(page)
    expected = softmax_jacobian(LOGITS, T)[2, 3]
    assert f"{expected:.6g}" in story.inner_text()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots(browser, app_url, screenshot_dir, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    open_softmax(page, app_url)
    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= width
    path = screenshot_dir / f"softmax-{viewport}.png"
    full_page_screenshot(page, path)
    context.close()
    assert path.stat().st_size > 20_000


def test_malformed_link_shows_which_parameters_were_ignored(page, app_url, screenshot_dir):
    open_softmax(page, app_url, "k=4&z0=abc&z3=50&t=0.33&y=7&foo=bar")
    warning = page.locator("[data-testid='stAlert']").filter(has_text="ignored").first
    text = warning.inner_text()
    for key in ("z0", "z3", "t", "y"):
        assert key in text
    assert "foo" not in text
    np.testing.assert_allclose(
        rendered_jacobian(page), softmax_jacobian([2.0, 1.0, 0.1, -1.0]), atol=1e-6
    )
    full_page_screenshot(page, screenshot_dir / "softmax-bad-url-laptop.png")
