"""The /training player in a real browser: what the canvas draws at several steps is numpy's
forward pass of W_t, b_t from ``train(...)``; Play, Pause (resume), step and restart work by
keyboard; nothing is sent to the server while playing; the paused step reaches the URL;
compare mode plays both runs in step; screenshots at both sizes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.boundaries import grid_probabilities
from explorer.optim import train
from explorer.page_logic.training_run import DataSettings, initial_params, make_data
from explorer.settings import specs
from tests.e2e.conftest import VIEWPORTS
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e

REGIONS = "[data-chart='regions']"
CURVE = "[data-chart='loss_curve']"
PLAYER = ".st-key-player .player"
#: The player's own learning-rate control (in its shadow root, which Playwright pierces).
LR_INPUT = ".st-key-player input[type='range'][data-key='lr']"
LR2_INPUT = ".st-key-player input[type='range'][data-key='lr2']"

#: Counts WebSocket messages the page sends (installed before the app's scripts run).
COUNT_SENDS_JS = """
(() => {
  window.__sent = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    window.__sent += 1;
    return send.apply(this, args);
  };
})();
"""


def open_player(page, url: str) -> None:
    page.add_init_script(COUNT_SENDS_JS)
    page.goto(url)
    wait_idle(page)
    page.wait_for_selector(REGIONS)


def values(page, selector: str = REGIONS, index: int = 0) -> dict:
    return json.loads(page.locator(selector).nth(index).get_attribute("data-values"))


#: The first element matching a selector, in the page or in any open shadow root.
STEP_SHOWN_JS = """
([selector, step]) => {
  for (const host of document.querySelectorAll('*')) {
    const node = host.shadowRoot && host.shadowRoot.querySelector(selector);
    if (node) return JSON.parse(node.getAttribute('data-values')).step === step;
  }
  return false;
}
"""


def wait_step(page, step: int, selector: str = REGIONS) -> None:
    page.wait_for_function(STEP_SHOWN_JS, arg=[selector, step], timeout=10_000)


def pause_at(page, step: int) -> None:
    """Focus the player, restart it and step forward to ``step`` by keyboard."""
    page.locator(PLAYER).focus()
    page.keyboard.press("Home")
    wait_step(page, 0)
    for _ in range(step):
        page.keyboard.press("ArrowRight")
    wait_step(page, step)


#: Compare mode: gd beside adam with its own learning rate, 50 steps.
COMPARE_QUERY = "compare=true&steps=50&optimizer2=adam&lr2=0.05"


def expected_trajectory(**settings):
    data = make_data(DataSettings(**{k: v for k, v in settings.items()
                                     if k in ("dataset", "n", "features", "seed")}))
    W0, b0 = initial_params(data.dim, data.classes, 0)
    trajectory = train(data.F_train, data.y_train, W0, b0,
                       optimizer=settings.get("optimizer", "gd"),
                       lr=settings.get("lr", 0.5), steps=settings.get("steps", 100))
    return data, trajectory


def check_drawn(page, data, trajectory, step: int, run: int = 0) -> None:
    """The probabilities the canvas of run ``run`` shows at ``step`` equal numpy's for
    W_t, b_t, and so does the curve's loss there."""
    shown = values(page, REGIONS, run)
    assert shown["step"] == step and shown["run"] == run
    grid = shown["grid"]
    # The player draws from float32 weights: numpy gets the same float32 numbers.
    W = trajectory.W[step].astype(np.float32).astype(np.float64)
    b = trajectory.b[step].astype(np.float32).astype(np.float64)
    probs = grid_probabilities(W, b, (grid["xMin"], grid["xMax"], grid["yMin"], grid["yMax"]),
                               grid["nx"], grid["ny"], data.features)
    assert len(shown["cells"]) >= 16
    for cell in shown["cells"]:
        assert np.allclose(cell["p"], probs[cell["row"], cell["col"]], rtol=0, atol=1e-12)
    curve = values(page, CURVE)
    assert curve["step"] == step
    assert curve["loss"][run] == float(np.float32(trajectory.loss[step]))


@pytest.mark.parametrize("features", ["raw", "quadratic"])
def test_drawn_regions_are_numpys_forward_pass_of_the_trajectory(page, app_url, features):
    open_player(page, f"{app_url}/training?features={features}&steps=60")
    data, trajectory = expected_trajectory(features=features, steps=60)
    check_drawn(page, data, trajectory, 60)  # opens on the last step
    page.locator(PLAYER).focus()
    page.keyboard.press("Home")
    wait_step(page, 0)
    check_drawn(page, data, trajectory, 0)
    for step in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        wait_step(page, step)
    check_drawn(page, data, trajectory, 3)
    page.keyboard.press("ArrowLeft")
    wait_step(page, 2)
    check_drawn(page, data, trajectory, 2)
    page.keyboard.press("End")
    wait_step(page, 60)
    check_drawn(page, data, trajectory, 60)


#: The player's root element and whether it is the one a test marked earlier.
MARK_PLAYER_JS = """
(mark) => {
  for (const host of document.querySelectorAll('*')) {
    const node = host.shadowRoot && host.shadowRoot.querySelector('.player');
    if (node) {
      if (mark) node.__testMark = true;
      return node.__testMark === true;
    }
  }
  return null;
}
"""


#: Whether the loss curve's marker shows the given loss.
CURVE_LOSS_IS_JS = """
(loss) => {
  for (const host of document.querySelectorAll('*')) {
    const node = host.shadowRoot && host.shadowRoot.querySelector("[data-chart='loss_curve']");
    if (node) return JSON.parse(node.getAttribute('data-values')).loss[0] === loss;
  }
  return false;
}
"""


def test_an_lr_key_press_shows_the_new_run_in_the_same_player(page, app_url):
    """A new learning rate reuses the drawn player (no rebuild) and shows exactly the
    new ``train(...)`` run, at its last step."""
    open_player(page, f"{app_url}/training?steps=40&lr=0.2")
    page.evaluate(MARK_PLAYER_JS, True)
    page.locator(LR_INPUT).focus()
    page.keyboard.press("ArrowRight")  # 0.2 -> 0.3
    page.wait_for_function("() => location.search.includes('lr=0.3')", timeout=10_000)
    wait_idle(page)
    data, trajectory = expected_trajectory(lr=0.3, steps=40)
    page.wait_for_function(CURVE_LOSS_IS_JS, arg=float(np.float32(trajectory.loss[40])),
                           timeout=10_000)
    check_drawn(page, data, trajectory, 40)
    assert page.evaluate(MARK_PLAYER_JS, False) is True  # the same player took the new run


#: Counts the WebSocket messages the page receives and, at the first draw after a key
#: press, how many had arrived since the press (installed before the app's scripts run).
RECEIVED_BEFORE_DRAW_JS = """
(() => {
  const probe = {received: 0, atPress: null, atDraw: null};
  window.__drawProbe = probe;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { probe.received += 1; });
    }
  };
  document.addEventListener('keydown', () => {
    probe.atPress = probe.received;
    probe.atDraw = null;
  }, true);
  document.addEventListener('live-drawn', () => {
    if (probe.atPress !== null && probe.atDraw === null) probe.atDraw = probe.received;
  }, true);
})();
"""


def press_and_count(page, selector: str, key: str) -> int:
    """Press ``key`` on ``selector``; the messages received between the press and the
    first redraw after it."""
    page.locator(selector).focus()
    page.keyboard.press(key)
    page.wait_for_function("() => window.__drawProbe.atDraw !== null", timeout=10_000)
    probe = page.evaluate("window.__drawProbe")
    return probe["atDraw"] - probe["atPress"]


def stop_beside(rate: float, offset: int) -> float:
    stops = list(specs.LEARNING_RATES)
    return stops[stops.index(rate) + offset]


def test_a_run_sent_ahead_is_drawn_at_once_and_the_server_only_confirms_it(page, app_url):
    """A learning-rate key press to the next stop draws that run before any message from
    the server arrives (it was sent ahead), exactly numpy's; the server's answer leaves it
    drawn as it is. A jump to a rate not sent ahead (Home) waits for the server's run."""
    page.add_init_script(RECEIVED_BEFORE_DRAW_JS)
    open_player(page, f"{app_url}/training?steps=40&lr=0.2")
    assert press_and_count(page, LR_INPUT, "ArrowRight") == 0  # 0.2 -> 0.3
    data, trajectory = expected_trajectory(lr=0.3, steps=40)
    check_drawn(page, data, trajectory, 40)
    page.wait_for_function("() => location.search.includes('lr=0.3')", timeout=10_000)
    wait_idle(page)
    check_drawn(page, data, trajectory, 40)
    lowest = specs.LEARNING_RATES[0]
    assert press_and_count(page, LR_INPUT, "Home") > 0
    data, trajectory = expected_trajectory(lr=lowest, steps=40)
    page.wait_for_function(CURVE_LOSS_IS_JS, arg=float(np.float32(trajectory.loss[40])),
                           timeout=10_000)
    wait_idle(page)
    check_drawn(page, data, trajectory, 40)


def test_a_second_run_sent_ahead_is_drawn_at_the_paused_step(page, app_url):
    page.add_init_script(RECEIVED_BEFORE_DRAW_JS)
    open_player(page, f"{app_url}/training?{COMPARE_QUERY}")
    pause_at(page, 3)
    wait_idle(page)
    assert press_and_count(page, LR2_INPUT, "ArrowLeft") == 0
    data, trajectory = expected_trajectory(optimizer="adam", lr=stop_beside(0.05, -1), steps=50)
    check_drawn(page, data, trajectory, 3, run=1)
    data, first = expected_trajectory(steps=50)
    check_drawn(page, data, first, 3, run=0)  # the first run stays as it was
    wait_idle(page)
    check_drawn(page, data, trajectory, 3, run=1)


#: The marker's x and the horizontal extent of its step label, in the curves' SVG.
MARKER_AND_LABEL_JS = """
(svg) => {
  const box = svg.querySelector('.marker-label').getBBox();
  return [Number(svg.querySelector('.marker').getAttribute('x1')), box.x, box.x + box.width];
}
"""


def test_the_step_label_never_crosses_the_marker_and_latin_titles_turn(page, app_url):
    """In presentation mode (the largest label), at the start, just after it and at the end."""
    open_player(page, f"{app_url}/training?steps=100&present=true")
    svg = page.locator(f"{CURVE} svg")
    page.locator(PLAYER).focus()
    for key, step in (("Home", 0), ("ArrowRight", 1), ("End", 100)):
        page.keyboard.press(key)
        wait_step(page, step)
        marker, left, right = svg.evaluate(MARKER_AND_LABEL_JS)
        assert right < marker or left > marker, (step, marker, left, right)
        assert left >= 0 and right <= float(svg.get_attribute("width"))
    orientations = page.locator(f"{CURVE} text.vertical").evaluate_all(
        "(nodes) => nodes.map((n) => getComputedStyle(n).textOrientation)")
    assert orientations == ["mixed", "mixed"]


def test_play_pause_resume_without_the_server(page, app_url):
    open_player(page, f"{app_url}/training?steps=300")
    page.locator(PLAYER).focus()
    page.keyboard.press("Home")
    wait_step(page, 0)
    page.wait_for_timeout(600)  # the debounced sync of step 0 has gone
    wait_idle(page)
    sent = page.evaluate("() => window.__sent")
    page.keyboard.press("Space")
    page.wait_for_timeout(700)
    assert page.evaluate("() => window.__sent") == sent  # nothing sent while playing
    page.keyboard.press("Space")  # pause
    paused = values(page)["step"]
    assert 0 < paused < 300
    page.wait_for_timeout(300)
    assert values(page)["step"] == paused  # paused means paused
    # The paused step goes to the server once (debounced) and into the URL.
    page.wait_for_function(f"() => location.search.includes('at={paused}')", timeout=10_000)
    wait_idle(page)
    assert values(page)["step"] == paused
    page.locator(PLAYER).focus()
    page.keyboard.press("Space")  # resume from where it was paused, not from 0
    page.wait_for_timeout(300)
    page.keyboard.press("Space")
    assert values(page)["step"] > paused


def test_buttons_are_focusable_with_a_visible_ring(page, app_url):
    open_player(page, f"{app_url}/training?steps=40")
    for name in ("restart", "back", "play", "forward"):
        button = page.locator(f".st-key-player button[data-action='{name}']")
        button.focus()
        ring = button.evaluate("(b) => [b.matches(':focus'), getComputedStyle(b).outlineWidth]")
        assert ring[0], name
    page.locator(".st-key-player button[data-action='restart']").click()
    wait_step(page, 0)
    page.keyboard.press("Tab")  # keyboard focus: the ring is drawn
    width = page.evaluate("""() => { const root = [...document.querySelectorAll('*')]
        .map((e) => e.shadowRoot).filter(Boolean).find((r) => r.querySelector('.player'));
        return parseFloat(getComputedStyle(root.activeElement).outlineWidth); }""")
    assert width >= 2


def test_compare_mode_plays_both_runs_in_step(page, app_url):
    open_player(page, f"{app_url}/training?{COMPARE_QUERY}")
    assert page.locator(REGIONS).count() == 2
    pause_at(page, 5)
    first, second = values(page, REGIONS, 0), values(page, REGIONS, 1)
    assert first["step"] == second["step"] == 5 and first["run"] == 0 and second["run"] == 1
    assert len(values(page, CURVE)["loss"]) == 2


@pytest.mark.parametrize("size", sorted(VIEWPORTS))
def test_player_screenshots(browser, app_url, screenshot_dir, size):
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    try:
        open_player(page, f"{app_url}/training?dataset=spiral&features=quadratic&steps=200"
                          "&compare=true&optimizer2=adam&lr2=0.05&at=80")
        page.screenshot(path=str(screenshot_dir / f"training-player-{size}.png"))
        assert values(page)["step"] == 80
    finally:
        context.close()


def test_the_landscape_marker_follows_the_player(page, app_url):
    open_player(page, f"{app_url}/training?steps=60&px=W[0,0]&py=b[1]")
    page.wait_for_selector("[data-chart='landscape'][data-values]")
    _, trajectory = expected_trajectory(steps=60)
    page.locator(PLAYER).focus()
    page.keyboard.press("Home")
    for step in (0, 1, 2, 3):
        if step:
            page.keyboard.press("ArrowRight")
        wait_step(page, step, "[data-chart='landscape']")
        shown = values(page, "[data-chart='landscape']")
        # The marker sits on the trajectory's W[0,0] and b[1] at that step (float32).
        assert shown["points"] == [[float(np.float32(trajectory.W[step, 0, 0])),
                                    float(np.float32(trajectory.b[step, 1]))]]
        assert shown["slice"] == 60  # the slice stays where the page opened


#: True when the landscape's marker sits at the given (x, y) (float32 values).
LANDSCAPE_POINT_IS_JS = """
(point) => {
  for (const host of document.querySelectorAll('*')) {
    const node = host.shadowRoot && host.shadowRoot.querySelector("[data-chart='landscape']");
    if (node && node.getAttribute('data-values')) {
      const shown = JSON.parse(node.getAttribute('data-values')).points[0];
      return shown[0] === point[0] && shown[1] === point[1];
    }
  }
  return false;
}
"""

METRIC_SHOWN_JS = """
(text) => [...document.querySelectorAll("[data-testid='stMetricValue']")]
  .some((node) => node.textContent.trim() === text)
"""


def test_the_inspect_section_follows_a_new_run_and_the_paused_step(page, app_url):
    """The inspect section is a fragment of its own, run again once the player shows a new
    run: after an lr key press its metrics and its landscape are the new run's; a step the
    player pauses at becomes the inspected step."""
    open_player(page, f"{app_url}/training?steps=60&lr=0.2&px=W[0,0]&py=b[1]")
    page.wait_for_selector("[data-chart='landscape'][data-values]")
    page.locator(LR_INPUT).focus()
    page.keyboard.press("ArrowRight")  # 0.2 -> 0.3
    _, trajectory = expected_trajectory(lr=0.3, steps=60)
    page.wait_for_function(METRIC_SHOWN_JS, arg=f"{trajectory.loss[60]:.6f}", timeout=15_000)
    # The marker sits on the new run's path at the step the player shows (the last).
    page.wait_for_function(LANDSCAPE_POINT_IS_JS, timeout=10_000, arg=[
        float(np.float32(trajectory.W[60, 0, 0])), float(np.float32(trajectory.b[60, 1]))])
    page.locator(PLAYER).focus()
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_step(page, 3)
    page.wait_for_function(
        "() => document.querySelector(\".st-key-at input[type='range']\").value === '3'",
        timeout=10_000)
    assert "at=3" in page.evaluate("location.search")
