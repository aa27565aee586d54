"""/weights and /check in a real browser.

/weights is a live view: every number it draws (``data-values``) equals numpy at 1e-12 on
200+ random states driven through its own controls, a key press redraws without a message
to the server, a gradient step lowers the loss, every mistaken entry is outlined, and the
idle page's numpy checks agree with the charts. /check keeps its Plotly chart. Full-page
screenshots of both.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer import loss_and_grad, softmax
from explorer.boundaries import grid_probabilities
from explorer.page_logic.check import make_problem
from explorer.probability_grad import probability_weight_grad, probability_weight_grad_wrong
from explorer.settings import specs
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import drive_live, live_values, read_chart, wait_idle, wait_live

TOL = 1e-12

pytestmark = pytest.mark.e2e

#: Bottom of the page's content, in CSS pixels (Streamlit scrolls inside its own container,
#: so a plain full-page screenshot would stop at the viewport).
CONTENT_BOTTOM_JS = """
() => Math.ceil(document.querySelector("[data-testid='stMainBlockContainer']")
                .getBoundingClientRect().bottom + 32)
"""


def default_model():
    k = specs.WEIGHTS_K.default
    W = np.array([[specs.WEIGHT_SLIDERS[row][col].default for col in range(k)]
                  for row in range(2)])
    b = np.array([specs.BIAS_SLIDERS[col].default for col in range(k)])
    x = np.array([[specs.EXAMPLE_X1.default, specs.EXAMPLE_X2.default]])
    return W, b, x


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


def open_weights(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/weights?{query}")
    wait_idle(page)
    wait_live(page, "dweights")


def expected(s: dict) -> dict:
    """Every chart of the view, from the library, for one state as the browser holds it."""
    k = s["k"]
    W = np.array(s["W"], dtype=np.float64)[:, :k]
    b = np.array(s["b"], dtype=np.float64)[:k]
    x = np.array([s["x1"], s["x2"]], dtype=np.float64)
    _, dW, db = loss_and_grad(W, b, x[None, :], [s["y"]], s["reg"])
    p = softmax(x @ W + b)
    data_term = np.outer(x, p - np.eye(k)[s["y"]])
    formula = probability_weight_grad_wrong if s["mistake"] else probability_weight_grad
    return {"dweights": dW, "dbias": db, "probs": p, "dweights_data": data_term,
            "dweights_reg": s["reg"] * W, "dprob": formula(W, b, x)[s["j"]].T}


#: The charts read after each random state.
DRAWN = ["dweights", "dbias", "probs", "dweights_data", "dweights_reg", "dprob"]


def input_pairs(s: dict) -> list[tuple[str, object]]:
    """The live controls' (data-key, value) pairs of a state, K first."""
    return [("k", s["k"]), ("x1", s["x1"]), ("x2", s["x2"]), ("y", s["y"]), ("reg", s["reg"]),
            ("j", s["j"]), ("mistake", s["mistake"]),
            *((f"w{i + 1}_{k}", v) for i, row in enumerate(s["W"]) for k, v in enumerate(row)),
            *((f"b{k}", v) for k, v in enumerate(s["b"]))]


def random_states(count: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    states = []
    for _ in range(count):
        k = int(rng.integers(2, specs.WEIGHTS_MAX_CLASSES + 1))
        grid = lambda size: np.round(rng.uniform(-3, 3, size=size), 1)  # noqa: E731
        states.append({
            "k": k, "x1": float(grid(1)[0]), "x2": float(grid(1)[0]),
            "y": int(rng.integers(0, k)), "reg": float(np.round(rng.uniform(0, 2) / 0.05) * 0.05),
            "j": int(rng.integers(0, k)), "mistake": bool(rng.integers(0, 2)),
            "W": grid((2, specs.WEIGHTS_MAX_CLASSES)).tolist(),
            "b": grid(specs.WEIGHTS_MAX_CLASSES).tolist(),
        })
    return states


def test_first_draw_is_numpy_of_the_link(page, app_url):
    open_weights(page, app_url, "k=4&x1=-1.5&y=3&reg=0.3&j=2&w2_3=2.5")
    drawn = live_values(page)
    s = {"k": 4, "x1": -1.5, "x2": specs.EXAMPLE_X2.default, "y": 3, "reg": 0.3, "j": 2,
         "mistake": False,
         "W": [[setting.default for setting in row] for row in specs.WEIGHT_SLIDERS],
         "b": [setting.default for setting in specs.BIAS_SLIDERS]}
    s["W"][1][3] = 2.5
    for name, values in expected(s).items():
        np.testing.assert_allclose(drawn[name], values, rtol=0, atol=TOL, err_msg=name)
    grid = json.loads(page.locator("[data-chart=regions]").get_attribute("data-grid"))
    W = np.array(s["W"])[:, :4]
    regions = grid_probabilities(W, np.array(s["b"][:4]),
                                 (grid["xMin"], grid["xMax"], grid["yMin"], grid["yMax"]),
                                 grid["nx"], grid["ny"])
    np.testing.assert_allclose(np.reshape(drawn["regions"], regions.shape), regions, rtol=0,
                               atol=TOL)


def test_every_drawn_number_is_numpy_on_random_states(page, app_url):
    open_weights(page, app_url)
    states = random_states(200)
    drawn = drive_live(page, "dweights", [input_pairs(s) for s in states], DRAWN)
    for s, got in zip(states, drawn, strict=True):
        for name, values in expected(s).items():
            np.testing.assert_allclose(got[name], values, rtol=0, atol=TOL,
                                       err_msg=f"{name} at {s}")
    assert sum(s["mistake"] for s in states) > 50


def test_the_mistake_outlines_every_entry_that_differs(page, app_url):
    open_weights(page, app_url, "k=3&j=1&mistake=true")
    marked = page.locator("[data-chart=dprob] .cell.marked")
    assert marked.count() == 6  # all of them: the diagonal too large, the rest wrongly 0
    open_weights(page, app_url, "k=3&j=1&mistake=true&x2=0")
    cells = page.locator("[data-chart=dprob] .cell.marked").evaluate_all(
        "(els) => els.map((el) => el.getAttribute('data-row'))")
    assert cells == ["0", "0", "0"]  # the x2 row is 0 either way


def test_a_gradient_step_lowers_the_loss_and_syncs(page, app_url):
    open_weights(page, app_url, "lr=0.5")
    s = {"k": 3, "x1": 1.0, "x2": 0.5, "y": 0, "reg": 0.0, "j": 0, "mistake": False,
         "W": [[setting.default for setting in row] for row in specs.WEIGHT_SLIDERS],
         "b": [setting.default for setting in specs.BIAS_SLIDERS]}
    W, b = np.array(s["W"])[:, :3], np.array(s["b"])[:3]
    x = np.array([[1.0, 0.5]])
    losses = [loss_and_grad(W, b, x, [0])[0]]
    for _ in range(3):
        page.locator("[data-key=step]").click()
        _, dW, db = loss_and_grad(W, b, x, [0])
        W, b = np.round(W - 0.5 * dW, 4), np.round(b - 0.5 * db, 4)
        losses.append(loss_and_grad(W, b, x, [0])[0])
    assert losses[-1] < losses[0]
    drawn = live_values(page)
    np.testing.assert_allclose(drawn["dweights"], loss_and_grad(W, b, x, [0])[1], atol=1e-9)
    readout = page.locator(".weights-live .readout[aria-live]").inner_text()
    assert "after 3 steps at lr 0.5" in readout and f"{losses[-1]:.4f}" in readout
    wait_idle(page)
    page.wait_for_timeout(600)
    wait_idle(page)
    href = page.evaluate("location.href")
    assert f"w1_0={W[0, 0]:g}" in href


def test_a_key_press_redraws_without_the_server_and_the_idle_page_agrees(page, app_url):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    open_weights(page, app_url)
    page.wait_for_timeout(800)
    sent.clear()
    page.locator("[data-key=w1_0]").focus()
    page.keyboard.press("ArrowRight")
    W, b = np.array([[1.1, -0.5, 0.2], [0.3, 1.0, -0.8]]), np.array([0.0, 0.2, -0.1])
    x = np.array([[1.0, 0.5]])
    loss, dW, _ = loss_and_grad(W, b, x, [0])
    np.testing.assert_allclose(live_values(page)["dweights"], dW, atol=TOL)
    assert not sent
    page.wait_for_function("location.href.includes('w1_0=1.1')")
    wait_idle(page)
    assert len(sent) <= 2 and all(len(payload) <= 2048 for payload in sent)
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Loss L").inner_text()
    assert f"{loss:.4f}" in metric
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
    problem = make_problem(specs.CHECK_N.default, specs.CHECK_D.default, specs.CHECK_K.default,
                           specs.CHECK_SEED.default)
    loss = loss_and_grad(problem.W, problem.b, problem.X, problem.y, specs.CHECK_REG.default)[0]
    methods = page.locator("[data-testid='stTable']").nth(0).inner_text()
    assert methods.count(f"{loss:.10f}") == 3  # vectorised, optimised and naive rows
    verdicts = page.locator("[data-testid='stTable']").nth(1).inner_text()
    assert verdicts.count("pass") == 6 and "fail" not in verdicts


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_screenshots(browser, app_url, screenshot_dir, viewport):
    full_page_screenshot(browser, app_url + "/weights?k=4&j=1&mistake=true&reg=0.3",
                         screenshot_dir / f"weights-{viewport}.png", viewport,
                         ".st-key-dprob_numeric .js-plotly-plot")
    full_page_screenshot(browser, app_url + "/check", screenshot_dir / f"check-{viewport}.png",
                         viewport, ".st-key-timings .js-plotly-plot")
    for name in ("weights", "check"):
        assert (screenshot_dir / f"{name}-{viewport}.png").stat().st_size > 30_000
