"""/weights and /check in a real browser: the rendered charts carry the library's numbers,
a weight slider moved with the keyboard updates the gradient, and full-page screenshots."""

from __future__ import annotations

import time

import numpy as np
import pytest

from explorer import loss_and_grad, state
from explorer.check_runner import make_problem
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import read_chart, wait_idle

pytestmark = pytest.mark.e2e

#: Bottom of the page's content, in CSS pixels (Streamlit scrolls inside its own container,
#: so a plain full-page screenshot would stop at the viewport).
CONTENT_BOTTOM_JS = """
() => Math.ceil(document.querySelector("[data-testid='stMainBlockContainer']")
                .getBoundingClientRect().bottom + 32)
"""


def default_model():
    k = state.WEIGHTS_K.default
    W = np.array([[state.WEIGHT_SLIDERS[row][col].default for col in range(k)]
                  for row in range(2)])
    b = np.array([state.BIAS_SLIDERS[col].default for col in range(k)])
    x = np.array([[state.EXAMPLE_X1.default, state.EXAMPLE_X2.default]])
    return W, b, x


def rendered_dweights(page) -> np.ndarray:
    traces = read_chart(page, "dweights")
    assert traces, "the dweights chart was not rendered"
    return np.asarray(traces[0]["z"], dtype=np.float64)


def wait_for_change(page, before: np.ndarray, timeout: float = 20.0) -> np.ndarray:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = rendered_dweights(page)
        if current.shape != before.shape or not np.allclose(current, before):
            return current
        page.wait_for_timeout(100)
    raise AssertionError("the dweights chart did not change")


def full_page_screenshot(browser, url: str, path, viewport: str, ready_selector: str) -> None:
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    wait_idle(page)
    page.wait_for_selector(ready_selector)
    page.set_viewport_size({"width": size["width"], "height": 4000})
    page.wait_for_timeout(500)
    height = max(size["height"], page.evaluate(CONTENT_BOTTOM_JS))
    page.set_viewport_size({"width": size["width"], "height": height})
    wait_idle(page)
    page.wait_for_timeout(700)  # let Plotly finish redrawing at the new size
    page.screenshot(path=str(path), full_page=True)
    context.close()


def test_weights_chart_matches_the_library_and_follows_the_keyboard(page, app_url):
    page.goto(app_url + "/weights")
    wait_idle(page)
    page.wait_for_selector(".st-key-dweights .js-plotly-plot")
    W, b, x = default_model()
    y, reg = state.WEIGHTS_TARGET.default, state.WEIGHTS_REG.default
    before = rendered_dweights(page)
    np.testing.assert_allclose(before, loss_and_grad(W, b, x, [y], reg)[1], rtol=1e-6, atol=1e-7)

    # This Streamlit renders the thumb as a visually hidden <input type="range">: its role
    # "slider" is implicit, so select it by role rather than by a [role] attribute.
    slider = page.locator(".st-key-w1_0").get_by_role("slider")
    slider.focus()
    slider.press("ArrowRight")
    wait_for_change(page, before)
    wait_idle(page)
    after = rendered_dweights(page)
    W[0, 0] += state.WEIGHT_SLIDERS[0][0].step
    np.testing.assert_allclose(after, loss_and_grad(W, b, x, [y], reg)[1], rtol=1e-6, atol=1e-7)
    assert "w1_0=" in page.url
    assert page.locator("[data-testid='stAlertContentSuccess']").first.is_visible()


def test_check_page_shows_agreement_and_the_code(page, app_url):
    page.goto(app_url + "/check")
    wait_idle(page)
    page.wait_for_selector(".st-key-timings .js-plotly-plot")
    traces = read_chart(page, "timings")
    assert list(traces[0]["y"]) == ["vectorised", "optimised", "naive", "numerical"]
    assert all(value > 0 for value in traces[0]["x"])
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "def loss_and_grad_textbook(" in text and "def loss_and_grad_naive(" in text
    problem = make_problem(state.CHECK_N.default, state.CHECK_D.default, state.CHECK_K.default,
                           state.CHECK_SEED.default)
    loss = loss_and_grad(problem.W, problem.b, problem.X, problem.y, state.CHECK_REG.default)[0]
    methods = page.locator("[data-testid='stTable']").nth(0).inner_text()
    assert methods.count(f"{loss:.10f}") == 3  # vectorised, optimised and naive rows
    verdicts = page.locator("[data-testid='stTable']").nth(1).inner_text()
    assert verdicts.count("pass") == 6 and "fail" not in verdicts


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots(browser, app_url, screenshot_dir, viewport):
    full_page_screenshot(browser, app_url + "/weights?k=4&j=1&mistake=true&reg=0.3",
                         screenshot_dir / f"weights-{viewport}.png", viewport,
                         ".st-key-dprob .js-plotly-plot")
    full_page_screenshot(browser, app_url + "/check", screenshot_dir / f"check-{viewport}.png",
                         viewport, ".st-key-timings .js-plotly-plot")
    for name in ("weights", "check"):
        assert (screenshot_dir / f"{name}-{viewport}.png").stat().st_size > 30_000
