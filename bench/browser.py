"""Key press to redrawn chart, in headless Chromium, paired press by press with the bare app.

Two tabs of one browser: a page of the explorer and the bare one-slider app. The
slider of each is focused and ArrowRight is pressed, alternating between the tabs (and
which goes first), so both see the same state of the machine. Every duration is
measured inside the page with ``performance.now()``: from the ``keydown`` (a capturing
listener) to the first ``plotly_afterplot`` event of the watched chart.

A wrapped ``WebSocket`` also stamps the first BackMsg sent after the press and the last
ForwardMsg received before the redraw, which splits a press into: the slider's own
delay before it sends, the server round trip, and the browser's rendering.

Live views (/softmax, /weights: explorer/pages/live.py) compute and draw in the browser:
there a press is timed from the ``keydown`` to the animation frame after the component's
``live-drawn`` event, and the probe counts the bytes sent to the server during the press
(none expected) and by the debounced state sync that follows.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench import goals, player
from bench.pages import BARE, BROWSER_PAGES, PAGES, PageSpec
from bench.payload import bounce
from bench.results import Section, judge
from bench.stats import median, percentile

VIEWPORT = {"width": 1280, "height": 800}
PRESS_TIMEOUT_MS = 20_000
LOAD_TIMEOUT_MS = 60_000
#: Pause after a press has settled, so one press's garbage collection is not the next one's.
SETTLE_MS = 150

#: Runs before the app's own scripts: stamp websocket traffic relative to the last key press.
WEBSOCKET_PROBE_JS = """
(() => {
  const state = {t0: null, t1: null, sent: null, received: null, hooked: 0, bytes: 0,
                 sentBytes: 0, sentDuring: 0, syncedAt: null};
  window.__bench = state;
  const Native = window.WebSocket;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (state.t0 !== null && state.t1 === null && state.sent !== null) {
          state.received = performance.now();
          state.bytes += event.data.byteLength || event.data.size || 0;
        }
      });
    }
    send(data) {
      if (state.t0 !== null && state.sent === null) state.sent = performance.now();
      if (state.t0 !== null) {
        const size = data.byteLength ?? data.size ?? data.length ?? 0;
        state.sentBytes += size;
        if (state.t1 === null) state.sentDuring += size;
        else state.syncedAt = performance.now();
      }
      return super.send(data);
    }
  }
  window.WebSocket = Probed;
  document.addEventListener('keydown', () => {
    Object.assign(state, {t0: performance.now(), t1: null, sent: null, received: null, bytes: 0,
                          sentBytes: 0, sentDuring: 0, syncedAt: null});
  }, true);
  // A live view: the press is drawn in the frame after its composed `live-drawn` event.
  document.addEventListener('live-drawn', () => {
    if (state.t0 === null || state.t1 !== null || state.liveFrame) return;
    state.liveFrame = true;
    requestAnimationFrame(() => {
      state.liveFrame = false;
      if (state.t1 === null) state.t1 = performance.now();
    });
  }, true);
})();
"""

#: Hook ``plotly_afterplot`` on the chart with the given key, now and whenever it is re-created.
HOOK_CHART_JS = """
(key) => {
  const state = window.__bench;
  const hook = () => {
    document.querySelectorAll(`.st-key-${key} .js-plotly-plot`).forEach((plot) => {
      if (plot.__benchHooked || typeof plot.on !== 'function') return;
      plot.__benchHooked = true;
      state.hooked += 1;
      plot.on('plotly_afterplot', () => {
        if (state.t0 !== null && state.t1 === null) state.t1 = performance.now();
      });
    });
  };
  if (!state.observer) {
    state.observer = new MutationObserver(hook);
    state.observer.observe(document.body, {childList: true, subtree: true});
  }
  hook();
  return state.hooked;
}
"""

READ_PRESS_JS = """
() => {
  const s = window.__bench;
  return {total: s.t1 - s.t0, send: s.sent === null ? null : s.sent - s.t0,
          server: s.sent === null || s.received === null ? null : s.received - s.sent,
          render: s.received === null ? null : s.t1 - s.received, bytes: s.bytes,
          sentDuring: s.sentDuring};
}
"""
#: A live view's press is complete once its debounced state sync has been sent.
SYNCED_JS = "() => window.__bench.syncedAt !== null"
READ_SYNC_JS = "() => window.__bench.sentBytes"


@dataclass
class Tab:
    """One page of the browser, its slider and the presses measured on it."""

    spec: PageSpec
    page: object
    walk: list[int]
    presses: list[dict] = field(default_factory=list)

    @property
    def slider(self) -> str:
        return slider_selector(self.spec.slider, live=self.spec.live or self.spec.live_control)


def slider_selector(key: str, *, live: bool = False) -> str:
    """CSS selector of the focusable range input of the slider with ``key``.

    A live view's inputs sit in the component's shadow root, which Playwright's CSS
    selectors pierce.
    """
    if live:
        return f"input[type='range'][data-key='{key}']"
    return f".st-key-{key} input[type='range']"


def _walk_length(spec: PageSpec, query: dict[str, str]) -> tuple[int, int]:
    """The number of values of the page's slider and the index it starts at."""
    setting = spec.setting
    if setting.kind == "select":
        texts = [setting.format_option(option) for option in setting.options]
        start = query.get(setting.key, setting.format_option(setting.default))
        return len(texts), texts.index(start)
    size = round((setting.max_value - setting.min_value) / setting.step) + 1
    start = float(query.get(setting.key, setting.default))
    return size, round((start - setting.min_value) / setting.step)


def open_tab(browser, base_url: str, spec: PageSpec, presses: int, *, attempts: int = 2) -> Tab:
    """Open ``spec``'s page in a new context and get it ready for timed presses.

    A page that does not load in time is tried once more in a fresh context (on a loaded
    2-core machine a first load can stall); the second failure is raised.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        context = browser.new_context(viewport=VIEWPORT)
        try:
            return _prepare_tab(context, base_url, spec, presses)
        except PlaywrightError:
            context.close()
            if attempt == attempts - 1:
                raise
    return None  # not reached: the last attempt returns or raises


def _prepare_tab(context, base_url: str, spec: PageSpec, presses: int) -> Tab:
    from tests.support.live import wait_idle

    context.add_init_script(WEBSOCKET_PROBE_JS)
    page = context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    query = spec.browser_query
    url = f"{base_url}/{spec.name}" + (f"?{urlencode(query)}" if query else "")
    page.goto(url)
    wait_idle(page, timeout=LOAD_TIMEOUT_MS)
    chart = (f"[data-chart='{spec.chart}']" if spec.live or spec.drawn_live
             else f".st-key-{spec.chart} .js-plotly-plot")
    page.wait_for_selector(chart, state="attached", timeout=LOAD_TIMEOUT_MS)
    # The slider's keyboard target is a visually hidden <input type="range">.
    page.wait_for_selector(slider_selector(spec.slider, live=spec.live or spec.live_control),
                           state="attached",
                           timeout=LOAD_TIMEOUT_MS)
    size, start = _walk_length(spec, query)
    directions = []
    previous = start
    for index in bounce(start, size, presses):
        directions.append("ArrowRight" if index > previous else "ArrowLeft")
        previous = index
    return Tab(spec, page, directions)


def press(tab: Tab, number: int, *, before: str = "") -> dict:
    """Press the slider's arrow key once (after running the JS ``before``, if any); return
    the in-page timings in milliseconds."""
    from tests.support.live import wait_idle

    page = tab.page
    page.bring_to_front()
    if before:
        page.evaluate(before)
    # A component's chart is timed by the probe's own live-drawn listener.
    if not (tab.spec.live or tab.spec.drawn_live):
        page.evaluate(HOOK_CHART_JS, tab.spec.chart)
    page.locator(tab.slider).focus()
    page.keyboard.press(tab.walk[number])
    page.wait_for_function("() => window.__bench.t1 !== null", timeout=PRESS_TIMEOUT_MS)
    timing = page.evaluate(READ_PRESS_JS)
    if tab.spec.live:
        # Let the debounced sync go (and its rerun finish) before the next press.
        page.wait_for_function(SYNCED_JS, timeout=PRESS_TIMEOUT_MS)
        timing["synced"] = page.evaluate(READ_SYNC_JS)
    wait_idle(page, timeout=PRESS_TIMEOUT_MS)
    page.wait_for_timeout(SETTLE_MS)
    return timing


def paired_presses(browser, app_url: str, bare_url: str, spec: PageSpec, *, presses: int,
                   warmup: int, cold: bool = False) -> tuple[list[dict], list[dict]]:
    """Alternate presses between ``spec``'s page and the bare app; return both timing lists
    (``cold``: run the page's ``cold_press_js`` before each of its presses)."""
    total = warmup + presses
    app = open_tab(browser, app_url, spec, total)
    bare = open_tab(browser, bare_url, BARE, total)
    try:
        for number in range(total):
            order = (app, bare) if number % 2 == 0 else (bare, app)
            for tab in order:
                before = tab.spec.cold_press_js if cold and tab is app else ""
                timing = press(tab, number, before=before)
                if number >= warmup:
                    tab.presses.append(timing)
    finally:
        app.page.context.close()
        bare.page.context.close()
    return app.presses, bare.presses


def _phase(presses: list[dict], name: str) -> float:
    values = [p[name] for p in presses if p.get(name) is not None]
    return median(values) if values else math.nan


def run(app_url: str, bare_url: str, *, quick: bool = False) -> Section:
    """Median and p95 key-press-to-redraw per page, and the ratio to the bare app."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from tests.support.live import chromium_path, launch_chromium

    section = Section("Browser: key press to redrawn chart")
    if chromium_path() is None:
        section.errors.append("Chromium is not installed (apt-get install -y chromium)")
        return section
    presses, warmup = (3, 1) if quick else (30, 3)
    names = BROWSER_PAGES[:1] if quick else BROWSER_PAGES
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for name in names:
                spec = PAGES[name]
                limit = goals.BROWSER_RATIO[name]
                goal = f"<= {limit:g}x bare"
                try:
                    app, bare = paired_presses(browser, app_url, bare_url, spec,
                                               presses=presses, warmup=warmup)
                except PlaywrightError as error:
                    waited = re.search(r"waiting for (locator\(.*?\)|function)", str(error))
                    first_line = str(error).splitlines()[0][:120] + (
                        f" ({waited.group(0)})" if waited else "")
                    if quick:
                        section.errors.append(f"/{name}: {first_line}")
                    section.add(f"/{name} / bare app", math.nan, "x", goal,
                                None if quick else False, note=f"not measured: {first_line}")
                    continue
                app_ms = [p["total"] for p in app]
                bare_ms = [p["total"] for p in bare]
                section.check(all(value > 0 for value in app_ms + bare_ms),
                              f"/{name}: a non-positive press time")
                ratio = median(app_ms) / median(bare_ms)
                p95_ratio = percentile(app_ms, 95) / percentile(bare_ms, 95)
                print(f"    /{name}: {median(app_ms):.1f} ms vs bare {median(bare_ms):.1f} ms "
                      f"(p95 {percentile(app_ms, 95):.1f} vs {percentile(bare_ms, 95):.1f})",
                      file=sys.stderr, flush=True)
                section.add(f"/{name} key press to redraw", median(app_ms), "ms",
                            note=f"p95 {percentile(app_ms, 95):.0f} ms; chart "
                                 f"{spec.chart}; slider {spec.slider}")
                section.add(f"bare app, paired with /{name}", median(bare_ms), "ms",
                            note=f"p95 {percentile(bare_ms, 95):.0f} ms")
                row = section.add(f"/{name} / bare app", ratio, "x", goal,
                                  judge(ratio, at_most=limit, judged=not quick),
                                  note=f"median of {len(app_ms)} paired presses")
                if spec.live:
                    _live_rows(section, name, app, p95_ratio, quick=quick)
                section.notes.append(_breakdown(name, app, bare, failed=row.passed is False))
                if spec.cold_press_js and not quick:
                    _cold_rows(section, browser, app_url, bare_url, spec, presses, warmup)
            _player_rows(section, browser, app_url, quick=quick)
        finally:
            browser.close()
    section.notes.insert(0, (
        f"{presses} presses per page after {warmup} warm-up presses, alternating with the bare "
        f"app (viewport {VIEWPORT['width']}x{VIEWPORT['height']}). Each press moves the "
        "slider one step to a value not seen in the last runs. Both sides include the "
        "slider's own delay before it sends its value."
    ))
    return section


def _live_rows(section: Section, name: str, app: list[dict], p95_ratio: float, *,
               quick: bool) -> None:
    """The live view's other goals: p95 ratio, nothing sent during a press, a small sync."""
    limit = goals.BROWSER_P95_RATIO[name]
    section.add(f"/{name} p95 / bare app p95", p95_ratio, "x", f"<= {limit:g}x bare",
                judge(p95_ratio, at_most=limit, judged=not quick))
    during = max(p.get("sentDuring", 0) for p in app)
    section.add(f"/{name} bytes sent during a press (max)", during, "B",
                f"<= {goals.LIVE_SENT_DURING_PRESS}",
                judge(during, at_most=goals.LIVE_SENT_DURING_PRESS, judged=not quick))
    synced = [p["synced"] / 1024 for p in app if p.get("synced") is not None]
    if synced:
        largest = max(synced)
        section.add(f"/{name} debounced state sync per press (max)", largest, "KiB",
                    f"<= {goals.LIVE_SYNC_KIB:g} KiB",
                    judge(largest, at_most=goals.LIVE_SYNC_KIB, judged=not quick),
                    note=f"median {median(synced):.2f} KiB")


def _cold_rows(section: Section, browser, app_url: str, bare_url: str, spec: PageSpec,
               presses: int, warmup: int) -> None:
    """The page's slow path, for the record (no goal): the same presses with what the
    browser keeps forgotten before each (the /training player then waits for the server)."""
    name = spec.name
    app, bare = paired_presses(browser, app_url, bare_url, spec, presses=presses,
                               warmup=warmup, cold=True)
    app_ms = [p["total"] for p in app]
    bare_ms = [p["total"] for p in bare]
    section.add(f"/{name} key press, nothing kept in the browser", median(app_ms), "ms",
                note=f"p95 {percentile(app_ms, 95):.0f} ms; the bare app paired: "
                     f"{median(bare_ms):.1f} ms")
    section.add(f"/{name} / bare app, nothing kept in the browser",
                median(app_ms) / median(bare_ms), "x", note="for the record, no goal")
    section.notes.append(_breakdown(f"{name} (nothing kept in the browser)", app, bare,
                                    failed=False))


def _breakdown(name: str, app: list[dict], bare: list[dict], *, failed: bool) -> str:
    lines = [
        f"/{name}, where a press goes (medians, ms){' - goal missed' if failed else ''}:",
        "",
        "| | press to send | send to last message | last message to redraw | KiB received |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, presses in ((f"/{name}", app), ("bare app", bare)):
        lines.append(
            f"| {label} | {_phase(presses, 'send'):.0f} | {_phase(presses, 'server'):.0f} | "
            f"{_phase(presses, 'render'):.0f} | {_phase(presses, 'bytes') / 1024:.1f} |"
        )
    return "\n".join(lines)


def _player_rows(section: Section, browser, app_url: str, *, quick: bool) -> None:
    """Per-frame draw time of the /training player while it plays (bench/player.py)."""
    steps = 120 if quick else player.PLAY_STEPS
    result = player.play_frames(browser, app_url, steps=steps)
    summary = player.summarise(result)
    budget = player.FRAME_BUDGET_MS
    section.check(summary["count"] > 0, "/training player: no frame drawn while playing")
    section.add("/training player: draw per frame, median", summary["median"], "ms",
                f"< {budget:g} ms", judge(summary["median"], at_most=budget, judged=not quick),
                note=f"{summary['count']} frames for {steps} steps at {player.PLAY_SPEED} "
                     f"steps/s in {result['seconds']:.1f} s")
    section.add("/training player: draw per frame, p95", summary["p95"], "ms",
                f"< {budget:g} ms", judge(summary["p95"], at_most=budget, judged=not quick),
                note=f"max {summary['max']:.1f} ms; {summary['over']} frame(s) at or over "
                     f"{budget:g} ms; slowest (frame after Play: ms) "
                     + ", ".join(f"{n}: {ms:.1f}" for n, ms in summary["slowest"]))
    section.add("/training player: messages sent while playing", result["sent"], "",
                "0", judge(result["sent"], at_most=0, judged=not quick))
