"""Cold load: from navigation to the page's first chart drawn, now against a baseline commit.

Issue 10's goal: moving /softmax and /weights into the browser must not make a learner wait
longer for the first chart on a fresh load. The baseline is the commit before the live
layer (:data:`BASELINE`), checked out with ``git archive`` into a temporary folder and served
beside the current code; loads of both alternate in one Chromium, each in a fresh context
(no cache), so load on the machine hits both alike. The first round warms up and is dropped.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
from pathlib import Path

from bench.goals import COLDLOAD_RATIO
from bench.results import Section
from bench.stats import median
from tests.support.live import REPO, launch_chromium, streamlit_server

#: The last commit whose /softmax and /weights drew every chart with Plotly on the server.
BASELINE = "8ad0edf"
#: Pages timed, with the first chart each draws (baseline: any Plotly chart; now: any live
#: chart, which sits in the component's shadow root).
PAGES = ("softmax", "weights")
BASELINE_CHART = ".js-plotly-plot .main-svg"
LIVE_CHART = "[data-chart]"

#: JavaScript: resolves with performance.now() once ``selector`` matches, also inside open
#: shadow roots (polled every animation frame).
FIRST_MATCH_JS = """(selector) => new Promise((resolve) => {
  const found = (root) => {
    if (root.querySelector(selector)) return true;
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot && found(el.shadowRoot)) return true;
    }
    return false;
  };
  const tick = () => found(document) ? resolve(performance.now()) : requestAnimationFrame(tick);
  tick();
})"""


def first_chart_ms(browser, url: str, selector: str) -> float:
    """Milliseconds from navigation start to the first element matching ``selector``."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(url, wait_until="commit")
        return float(page.evaluate(FIRST_MATCH_JS, selector))
    finally:
        context.close()


@contextlib.contextmanager
def baseline_checkout(commit: str):
    """The app at ``commit``, extracted into a temporary folder (yields its path)."""
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as folder:
        archive = subprocess.run(["git", "archive", commit], cwd=REPO, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def run(quick: bool = False) -> Section:
    """Time cold loads of each page, now and at :data:`BASELINE`, interleaved."""
    from playwright.sync_api import sync_playwright

    section = Section("Cold load")
    rounds = 2 if quick else 5
    with contextlib.ExitStack() as stack:
        now_url = stack.enter_context(streamlit_server("app.py"))
        base_url = None
        if not quick:
            folder = stack.enter_context(baseline_checkout(BASELINE))
            base_url = stack.enter_context(streamlit_server(folder / "app.py"))
        playwright = stack.enter_context(sync_playwright())
        browser = launch_chromium(playwright)
        stack.callback(browser.close)
        times: dict[tuple[str, str], list[float]] = {}
        for index in range(rounds):
            for page_name in PAGES:
                pairs = [("now", now_url, LIVE_CHART)]
                if base_url:
                    pairs.append(("baseline", base_url, BASELINE_CHART))
                for label, url, selector in pairs[:: 1 if index % 2 else -1]:
                    ms = first_chart_ms(browser, f"{url}/{page_name}", selector)
                    if index:
                        times.setdefault((page_name, label), []).append(ms)
    for page_name in PAGES:
        now = median(times[(page_name, "now")])
        if base_url is None:
            section.add(f"/{page_name} first chart, cold load", now, "ms")
            continue
        base = median(times[(page_name, "baseline")])
        section.add(f"/{page_name} first chart, cold load / baseline {BASELINE}", now / base,
                    "x", goal=f"<= {COLDLOAD_RATIO:g}x", passed=now / base <= COLDLOAD_RATIO,
                    note=f"median {now:.0f} ms vs {base:.0f} ms over {rounds - 1} loads each")
    return section
