"""Server-side cost of one slider change: AppTest rerun times, page by page.

AppTest runs the script in this process, without a browser or a network, so this is
the script's own time. AppTest reruns the *whole* page even when the slider sits in an
``st.fragment``, so on a page with fragments it is an upper bound of what one change
costs the server. The bare one-slider app is timed the same way, as the baseline.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import math
import pstats
import time
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from bench.pages import BARE, PAGES, REPO, PageSpec, live_walk
from bench.payload import bounce
from bench.results import Section
from bench.stats import median, percentile

APP = str(REPO / "app.py")
TIMEOUT = 120.0


def start(spec: PageSpec, query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of ``spec``'s page with ``query``, after its first run."""
    if spec is BARE:
        at = AppTest.from_file(str(REPO / spec.script), default_timeout=TIMEOUT)
    else:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        # A page with its own url_path is found only after a first run has registered it.
        at.run()
        at.switch_page(spec.script)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def slider_walk(at: AppTest, spec: PageSpec) -> tuple[list, int]:
    """Every value the page's slider takes, from low to high, and the index of its value.

    Raises
    ------
    LookupError
        When the page has no such slider (e.g. the page is still a placeholder).
    """
    setting = spec.setting
    if spec.live or spec.live_control:
        # A live view's slider is a control of its component: its value is in the checked
        # state the page keeps (explorer/pages/live.py).
        current = at.session_state[_live_view(spec).values_key][setting.key]
        values = live_walk(setting)
        return values, min(range(len(values)), key=lambda i: abs(values[i] - current))
    try:
        if setting.kind == "select":
            widget = at.select_slider(key=setting.key)
            by_text = {setting.format_option(option): option for option in setting.options}
            values = [by_text[text] for text in widget.options]
            return values, values.index(widget.value)
        widget = at.slider(key=setting.key)
    except KeyError:
        raise LookupError(f"the page has no slider with key {setting.key!r}") from None
    count = round((widget.max - widget.min) / widget.step)
    values = [round(widget.min + i * widget.step, 10) for i in range(count + 1)]
    return values, round((widget.value - widget.min) / widget.step)


def _live_view(spec: PageSpec):
    from explorer.pages import live

    return live.VIEWS[spec.component.removesuffix("_live")]


def _move(at: AppTest, spec: PageSpec, value) -> None:
    """Set the page's slider to ``value`` for the next run (a live view: as its browser sync)."""
    if spec.live or spec.live_control:
        view = _live_view(spec)
        values = {**at.session_state[view.values_key], spec.slider: value}
        at.session_state[view.component_key] = {"state": view.to_browser(values)}
    elif spec.setting.kind == "select":
        at.select_slider(key=spec.slider).set_value(value)
    else:
        at.slider(key=spec.slider).set_value(value)


def rerun_times(spec: PageSpec, query: dict[str, str] | None = None, *, changes: int = 20,
                warmup: int = 2) -> list[float]:
    """Seconds of ``changes`` AppTest reruns, each after a one-step slider change."""
    at = start(spec, query)
    _raise_on_exception(at, spec)
    values, index = slider_walk(at, spec)
    times = []
    for step, value_index in enumerate(bounce(index, len(values), warmup + changes)):
        _move(at, spec, values[value_index])
        begin = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - begin
        _raise_on_exception(at, spec)
        if step >= warmup:
            times.append(elapsed)
    return times


def _raise_on_exception(at: AppTest, spec: PageSpec) -> None:
    if at.exception:
        # The app's config shows only the exception's type (client.showErrorDetails).
        raise RuntimeError(f"/{spec.name} raised {at.exception[0].proto.type}: "
                           f"{at.exception[0].proto.message[:120]}")


@contextlib.contextmanager
def _profiled_script_thread(profile: cProfile.Profile) -> Iterator[None]:
    # AppTest runs the script in its own thread, and cProfile sees only the thread that
    # enables it: wrap the script thread's body.
    original = LocalScriptRunner._run_script_thread

    def run_profiled(self):
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()

    LocalScriptRunner._run_script_thread = run_profiled
    try:
        yield
    finally:
        LocalScriptRunner._run_script_thread = original


def profile_rerun(spec: PageSpec, query: dict[str, str] | None = None, *, reruns: int = 3,
                  top: int = 12) -> str:
    """cProfile of ``reruns`` slider-change reruns: the top entries by cumulative time.

    Returns
    -------
    str
        A pstats listing restricted to the app, plotly and Streamlit's element code.
    """
    at = start(spec, query)
    values, index = slider_walk(at, spec)
    profile = cProfile.Profile()
    with _profiled_script_thread(profile):
        for value_index in bounce(index, len(values), reruns):
            _move(at, spec, values[value_index])
            at.run()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream).strip_dirs().sort_stats("cumulative")
    stats.print_stats(r"explorer|_page|plotly|basedatatypes|elements|json|numpy", top)
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    start_index = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    total = f"{stats.total_tt:.3f} s profiled over {reruns} reruns (profiling slows code down)"
    return "\n".join([total, *lines[start_index:]])


def run(*, quick: bool = False) -> Section:
    """Median and p95 rerun time per page, at defaults and largest settings."""
    section = Section("Server: AppTest rerun after one slider change")
    changes = 3 if quick else 20
    bare = rerun_times(BARE, changes=changes)
    bare_median = median(bare) * 1000
    section.check(all(t > 0 for t in bare), "non-positive rerun time")
    section.add("bare app", bare_median, "ms",
                note=f"p95 {percentile(bare, 95) * 1000:.0f} ms")
    names = ["softmax"] if quick else list(PAGES)
    for name in names:
        spec = PAGES[name]
        settings = [("defaults", {})] if quick else [("defaults", {}), ("largest", spec.largest)]
        for label, query in settings:
            title = f"/{name} {label}" + (
                " (" + ", ".join(f"{k}={v}" for k, v in query.items()) + ")" if query else "")
            try:
                times = rerun_times(spec, query, changes=changes)
            except LookupError as error:
                if quick:
                    section.errors.append(f"/{name}: {error}")
                section.add(title, math.nan, "ms", note=f"not measured: {error}")
                continue
            except RuntimeError as error:
                section.errors.append(str(error))
                section.add(title, math.nan, "ms", note=str(error)[:80])
                continue
            value = median(times) * 1000
            section.add(title, value, "ms",
                        note=f"p95 {percentile(times, 95) * 1000:.0f} ms; "
                             f"{value / bare_median:.1f}x the bare app")
            if not quick and label == "defaults":
                section.notes.append(
                    f"Profile of /{name} ({label}), 3 reruns, top entries by cumulative "
                    f"time:\n\n```\n{profile_rerun(spec, query)}\n```"
                )
    section.notes.insert(0,
        f"Median (p95 in the note) of {changes} reruns, each after a one-step slider change, "
        "after 2 warm-up changes. AppTest reruns the whole page even inside fragments, so "
        "this is an upper bound of the server's work per change on a page with fragments."
    )
    return section
