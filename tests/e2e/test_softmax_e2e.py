"""/softmax in a real browser: the live view draws numpy's numbers, within the key press.

- ``data-values`` of every chart equal numpy at 1e-12 on 200+ random states driven through
  the component's own controls (|z/T| up to 200, the +1000 overflow demo included);
- a key press redraws without any message to the server; the debounced sync is small;
- once idle, the server's derivation and URL agree with what the browser draws;
- every heatmap cell is reachable by keyboard, with a visible focus ring;
- screenshots at both sizes.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from explorer import softmax, softmax_jacobian
from explorer.page_logic.softmax import OVERFLOW_SHIFT
from explorer.settings import specs
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import drive_live, live_values, wait_idle, wait_live

pytestmark = pytest.mark.e2e

LOGITS = [2.0, -1.0, 0.5, 3.0]
T = 0.7
QUERY = "k=4&z0=2&z1=-1&z2=0.5&z3=3&t=0.7"
TOL = 1e-12


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
    wait_live(page, "jacobian")


def url_values(page) -> dict[str, str]:
    """The address bar's parameters (read from the page: ``page.url`` is only refreshed
    when the sync API next talks to the browser)."""
    href = page.evaluate("location.href")
    return {key: values[-1] for key, values in parse_qs(urlsplit(href).query).items()}


def expected(z, t, y, big=False):
    z = np.asarray(z, dtype=np.float64) + (OVERFLOW_SHIFT if big else 0.0)
    p = softmax(z, t)
    return {"probs": p, "jacobian": softmax_jacobian(z, t), "dlogits": p - np.eye(len(z))[y],
            "logits": z}


def test_first_draw_is_numpy_of_the_link(page, app_url):
    open_softmax(page, app_url, QUERY + "&y=2")
    drawn = live_values(page)
    for name, values in expected(LOGITS, T, 2).items():
        np.testing.assert_allclose(drawn[name], values, rtol=0, atol=TOL, err_msg=name)


def input_pairs(s: dict) -> list[tuple[str, object]]:
    """The live controls' (data-key, value) pairs of a state, K first."""
    return [("k", s["k"]), ("t", s["tIndex"]), ("y", s["y"]), ("big", s["big"]),
            *((f"z{i}", v) for i, v in enumerate(s["z"]))]


def random_states(count: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    temperatures = specs.TEMPERATURE.options
    states = []
    for index in range(count):
        k = int(rng.integers(2, specs.MAX_CLASSES + 1))
        # Every 4th state at the slider's ends with the smallest T: |z/T| = 10 / 0.05 = 200.
        t_index = 0 if index % 4 == 0 else int(rng.integers(0, len(temperatures)))
        z = np.round(rng.uniform(-10, 10, size=specs.MAX_CLASSES), 1)
        if index % 4 == 0:
            z[0], z[1] = 10.0, -10.0
        states.append({"k": k, "tIndex": t_index, "t": temperatures[t_index],
                       "y": int(rng.integers(0, k)), "big": bool(index % 5 == 0),
                       "z": z.tolist()})
    return states


def test_every_drawn_number_is_numpy_on_random_states(page, app_url):
    open_softmax(page, app_url)
    states = random_states(220)
    drawn = drive_live(page, "jacobian", [input_pairs(s) for s in states],
                       ["probs", "jacobian", "dlogits", "logits"])
    reach = 0.0
    for s, got in zip(states, drawn, strict=True):
        z = s["z"][: s["k"]]
        reach = max(reach, max(abs(v) for v in z) / s["t"])
        for name, values in expected(z, s["t"], s["y"], s["big"]).items():
            np.testing.assert_allclose(got[name], values, rtol=0, atol=TOL / min(s["t"], 1),
                                       err_msg=f"{name} at {s}")
    assert reach == pytest.approx(200.0)
    assert sum(s["big"] for s in states) >= 40


def test_overflow_demo_keeps_p_and_the_textbook_formula_breaks(page, app_url):
    open_softmax(page, app_url, QUERY + "&big=true")
    drawn = live_values(page)
    np.testing.assert_allclose(drawn["probs"], softmax(LOGITS, T), rtol=0, atol=TOL)
    np.testing.assert_allclose(drawn["logits"], np.array(LOGITS) + OVERFLOW_SHIFT, atol=0)
    table = page.locator(".st-key-overflow_demo").inner_text()
    assert "nan" in table  # the textbook column, computed on the server


def test_a_key_press_redraws_without_the_server_then_syncs_once(page, app_url):
    sent: list[str | bytes] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    open_softmax(page, app_url)
    time.sleep(1.0)
    sent.clear()
    z0 = page.locator("[data-key=z0]")
    z0.focus()
    for press in range(3):
        page.keyboard.press("ArrowRight")
        drawn = live_values(page)
        expected_z0 = round(2.0 + 0.1 * (press + 1), 1)
        np.testing.assert_allclose(drawn["jacobian"],
                                   softmax_jacobian([expected_z0, *LOGITS[1:]], T), atol=TOL)
    assert not sent, "a key press sent a message to the server"
    poll(lambda: url_values(page).get("z0") == "2.3")
    wait_idle(page)
    assert 1 <= len(sent) <= 2
    assert all(len(payload) <= 2048 for payload in sent)


def test_idle_page_agrees_with_the_charts(page, app_url):
    open_softmax(page, app_url, QUERY + "&cell=2,0")
    story = page.locator(".st-key-story_box")
    assert "i = 2, j = 0" in story.inner_text()
    page.locator("[data-key=t]").focus()
    page.keyboard.press("ArrowLeft")  # T 0.7 -> 0.6
    poll(lambda: url_values(page).get("t") == "0.6")
    wait_idle(page)
    jac = np.array(live_values(page)["jacobian"])
    np.testing.assert_allclose(jac, softmax_jacobian(LOGITS, 0.6), atol=TOL)
    shown = re.search(r"shows (\S+) in row 2, column 0", story.inner_text())
    assert shown and shown.group(1) == f"{jac[2, 0] + 0.0:.6g}"
    checks = page.locator(".st-key-checks_box").inner_text()
    assert f"{np.abs(jac).max():.4g}" in checks


def test_heatmap_cells_are_keyboard_reachable_with_a_focus_ring(page, app_url):
    open_softmax(page, app_url)
    cell = page.locator("[data-chart=jacobian] [data-row='0'][data-col='1']")
    cell.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    focused = page.locator("[data-chart=jacobian] [data-row='2'][data-col='0']")
    assert focused.evaluate("(el) => el.getRootNode().activeElement === el")
    ring = focused.locator(".ring")
    width = float(ring.evaluate("(el) => getComputedStyle(el).strokeWidth").rstrip("px"))
    assert width >= 2
    assert ring.evaluate("(el) => getComputedStyle(el).stroke") != "none"
    page.keyboard.press("Enter")
    poll(lambda: url_values(page).get("cell") == "2,0")
    wait_idle(page)
    assert "i = 2, j = 0" in page.locator(".st-key-story_box").inner_text()
    # Tab reaches the grid: exactly one cell is in the tab order.
    assert page.locator("[data-chart=jacobian] [tabindex='0']").count() == 1


def test_numeric_spellings_and_fractional_class_in_a_link(page, app_url):
    open_softmax(page, app_url, "k=4&t=2.0&y=1.5&z0=2.50")
    drawn = live_values(page)
    z = [2.5, *specs.DEFAULT_LOGITS[1:4]]
    np.testing.assert_allclose(drawn["probs"], softmax(z, 2.0), atol=TOL)
    np.testing.assert_allclose(drawn["dlogits"], softmax(z, 2.0) - np.eye(4)[1], atol=TOL)
    warning = page.locator("[data-testid='stAlert']").filter(has_text="ignored").first
    text = warning.inner_text()
    assert "y" in text and "whole number" in text
    assert "t" not in re.findall(r"\b(\w+)=", text)


def test_malformed_link_shows_which_parameters_were_ignored(page, app_url, screenshot_dir):
    open_softmax(page, app_url, "k=4&z0=abc&z3=50&t=0.33&y=7&foo=bar")
    warning = page.locator("[data-testid='stAlert']").filter(has_text="ignored").first
    text = warning.inner_text()
    for key in ("z0", "z3", "t", "y"):
        assert key in text
    assert "foo" not in text
    np.testing.assert_allclose(
        live_values(page)["jacobian"], softmax_jacobian([2.0, 1.0, 0.1, -1.0]), atol=TOL
    )
    page.screenshot(path=str(screenshot_dir / "softmax-bad-url-laptop.png"), full_page=True)


def test_cell_text_is_at_least_14px_at_k10(page, app_url):
    open_softmax(page, app_url, "k=10")
    sizes = page.locator("[data-chart=jacobian] .cell-text").evaluate_all(
        "(els) => els.map((el) => parseFloat(getComputedStyle(el).fontSize))")
    assert len(sizes) == 100 and min(sizes) >= 14
    assert json.loads(page.locator("[data-chart=probs]").get_attribute("data-values"))


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots(browser, app_url, screenshot_dir, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    open_softmax(page, app_url, "k=10&t=0.7&cell=3,2")
    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= width
    page.set_viewport_size({"width": width, "height": 2200})
    time.sleep(0.5)
    path = screenshot_dir / f"softmax-{viewport}.png"
    page.screenshot(path=str(path))
    context.close()
    assert path.stat().st_size > 20_000
