"""The /training player in headless Chromium: a redraw after an lr key press, and the draw
time of every frame while playing with nothing sent to the server.

- An lr key press is timed by ``bench/browser.py``'s probe to the frame after the first
  ``live-drawn`` event: the player redraws at once when it keeps the run at the new rate
  (sent ahead, explorer/pages/training_nearby.py), else when the server's run arrives;
  the page's spec says so with ``drawn_live`` (bench/pages.py), and ``cold_press_js``
  times the second case too.
- :func:`play_frames` plays ``PLAY_STEPS`` steps at ``PLAY_SPEED`` steps per second and
  reads the player's own record of how long each frame's draw took (regions, boundaries,
  points, the curve marker and the landscape's marker, which redraws on the player's
  ``live-drawn`` event), and counts the WebSocket messages sent meanwhile.
"""

from __future__ import annotations

from bench.stats import median, percentile

#: Play this many steps ...
PLAY_STEPS = 2000
#: ... at this many steps per second (the player's fastest speed).
PLAY_SPEED = 60
#: A frame must be drawn within this many milliseconds (issue 11).
FRAME_BUDGET_MS = 8.0

#: The player's root element (inside the component's shadow root).
_PLAYER_JS = """
() => {
  for (const host of document.querySelectorAll('*')) {
    const node = host.shadowRoot && host.shadowRoot.querySelector('.player');
    if (node) return node;
  }
  return null;
}
"""

_START_JS = f"""
(speed) => {{
  const player = ({_PLAYER_JS})();
  const select = player.querySelector('.speed select');
  select.value = String(speed);
  select.dispatchEvent(new Event('change'));
  player.focus();
  window.__benchPlayer = player;
  return true;
}}
"""

_STEP_JS = """
() => {
  const chart = window.__benchPlayer.querySelector("[data-chart='regions']");
  return chart ? JSON.parse(chart.getAttribute('data-values')).step : null;
}
"""

_TIMES_JS = f"() => Array.from(({_PLAYER_JS})().drawTimes)"

#: Counts WebSocket messages sent by the page (installed before the app's scripts).
COUNT_SENDS_JS = """
(() => {
  window.__sends = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    window.__sends += 1;
    return send.apply(this, args);
  };
})();
"""


def play_frames(browser, app_url: str, *, steps: int = PLAY_STEPS, speed: int = PLAY_SPEED,
                viewport: dict | None = None) -> dict:
    """Play ``steps`` steps at ``speed`` steps/s; the draw time of every frame and the sends.

    Returns
    -------
    dict
        ``frames`` (draw times in ms, one per frame drawn while playing), ``sent``
        (WebSocket messages sent while playing), ``seconds`` (wall time of the play),
        ``last`` (the step reached).
    """
    from tests.support.live import wait_idle

    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
    try:
        context.add_init_script(COUNT_SENDS_JS)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{app_url}/training?steps={steps}&at=0")
        wait_idle(page, timeout=60_000)
        page.wait_for_selector("[data-chart='regions']", timeout=60_000)
        page.evaluate(_START_JS, speed)
        page.wait_for_timeout(600)  # any debounced sync from loading has gone
        wait_idle(page, timeout=60_000)
        before = len(page.evaluate(_TIMES_JS))
        sends = page.evaluate("() => window.__sends")
        start = page.evaluate("() => performance.now()")
        page.keyboard.press("Space")
        limit = (steps / speed + 30) * 1000
        # Polled every animation frame: the final step's sync leaves 250 ms later.
        page.wait_for_function(f"() => ({_STEP_JS})() === {steps}", timeout=limit,
                               polling="raf")
        seconds = (page.evaluate("() => performance.now()") - start) / 1000
        # Read before the debounced sync of the final step can go out.
        sent = page.evaluate("() => window.__sends") - sends
        frames = page.evaluate(_TIMES_JS)[before:]
        return {"frames": frames, "sent": sent, "seconds": seconds, "last": steps}
    finally:
        context.close()


#: How many of the slowest frames :func:`summarise` names.
SLOWEST = 3


def summarise(result: dict) -> dict:
    """Median, p95 and max draw time (ms) of the frames, how many were over budget, and
    the slowest frames as (frame number after Play, ms), slowest first: frame 0 is the
    first frame after Play, whose code the browser has not optimised yet."""
    frames = result["frames"]
    slowest = sorted(range(len(frames)), key=lambda n: frames[n], reverse=True)[:SLOWEST]
    return {
        "median": median(frames), "p95": percentile(frames, 95), "max": max(frames),
        "count": len(frames),
        "over": sum(1 for value in frames if value >= FRAME_BUDGET_MS),
        "slowest": [(n, frames[n]) for n in slowest],
    }
