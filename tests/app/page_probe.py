"""Helpers for the robustness tests: open a page with a query, read its URL-bound widgets back
as Settings, and collect every number its charts carry.

The widgets are read from what Streamlit rendered (key, range, options, default), not from
the page's code, so a page's dynamic ranges (``y < K``) and later pages are covered as they
are.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from streamlit import config
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.testing.v1 import AppTest

from explorer.pages.lessons import LESSONS
from explorer.settings.setting import Setting
from tests.support.charts import decode
from tests.support.live import REPO

HOME = "explorer/pages/home_page.py"
#: Every page script: the home page and the lessons (LESSONS is the navigation's table).
PAGES = (HOME, *(lesson.script for lesson in LESSONS))


# ----------------------------------------------------------------------------------------
# The hostile alphabet: URL values a mistyped, pasted or malicious link may carry

SINGLE_VALUES = [
    # plain and borderline numbers
    "0", "1", "-1", "2", "3", "4", "5", "9", "10", "11", "-10", "-11", "0.5", "2.5", "-2.5",
    "4.9", "-0", "+3", "3.0", "3.", ".5", "1e3", "0.05", "0.050", "1e-4", "0.0001", "1E1",
    # huge and tiny
    "1e308", "-1e308", "1e309", "1e400", "1e-400", "5e-324", "9" * 400, "1" + "0" * 20,
    "0." + "0" * 300 + "1",
    # not finite
    "nan", "NaN", "-nan", "inf", "-inf", "+inf", "Infinity", "infinity", "INF",
    # empty and whitespace
    "", " ", "\t", "  3  ", "\t4\n",
    # Python-only and locale spellings, unicode digits
    "3_0", "0x10", "0b1", "1,5", "1 000", "١", "٣", "３", "²", "Ⅻ", "\u0663.\u0665", "𝟑",
    # booleans and option names
    "true", "True", "TRUE", "false", " true", "true ", "yes", "on", "tru", "ｔｒｕｅ",
    "blobs", "Blobs", "BLOBS", " blobs", "custom", "adam", "rmsprop", "quadratic", "xor",
    # markup and paths
    "<script>alert(1)</script>", "**bold**", "[x](http://evil.example)",
    "![i](http://evil.example/p.png)", "`code`", "$x^2$", ":red[x]", ":material/home:",
    "../../etc/passwd", "/etc/passwd", "..\\..\\win.ini", "%2e%2e%2f", "%00", "\x00",
    "\u202e3", "3\u200b", "'; DROP TABLE x; --",
    # ISO dates and times (Streamlit reads them as microseconds since 1970 on every slider)
    "1970-01-01", "1970-01-01T00:00:00.000003", "1969-12-31T23:59:59.999995",
    "1970-01-01T00:00:00.000003+00:00", "1970-01-02", "00:00", "00:00:00.000001",
    "2000-01-01", "1970-01-01T00:00",
    # very long
    "a" * 5000, "1" * 3000,
]

REPEATED_VALUES = [
    ["3", "5"], ["5", "5"], ["", "3"], ["3", ""], ["", ""], ["", "", "2"], ["2", "2", "2"],
    ["bogus", "xor"], ["xor", "bogus"], ["xor", ""], ["", "xor"], ["blobs", "xor"],
    ["x", "true"], ["true", "x"], ["true", ""], ["", "true"], ["false", "true"],
    ["0.5", "0.5"], ["0.5", "bogus"], ["", "0.5"], ["0.5", "2"], ["nan", "3"], ["3", "nan"],
    ["adam", "adam"], ["1e400", ""],
]


def open_page(script: str, query: Mapping[str, Sequence[str]] | None = None,
              timeout: float = 120) -> AppTest:
    """Run ``app.py``, go to ``script`` with the URL query ``query``, and return the AppTest.

    A value list of length one is given as a plain string, longer lists as repeated keys.
    """
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    with full_error_details():
        at.run()
        if script != HOME:
            at.switch_page(script)
        for key, values in (query or {}).items():
            at.query_params[key] = values[0] if len(values) == 1 else list(values)
        at.run()
    return at


@contextlib.contextmanager
def full_error_details() -> Iterator[None]:
    """Let AppTest record tracebacks (the project's config shows users only the type)."""
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    try:
        yield
    finally:
        config.set_option("client.showErrorDetails", before)


@dataclass(frozen=True)
class Bound:
    """A URL-bound widget as rendered: the Setting it behaves as, and its current value."""

    setting: Setting
    value: Any
    widget: Any
    #: A setting owned by a live view (explorer/pages/live.py), which reads its URL value
    #: with :func:`explorer.settings.query.read_link_value` rather than through a Streamlit widget.
    live: bool = False

    @property
    def key(self) -> str:
        return self.setting.key

    @property
    def moved(self) -> bool:
        """True when the widget shows something other than its default."""
        return not self.shows(self.setting.default)

    def shows(self, value: Any) -> bool:
        """True when the widget's value is ``value`` (numbers compare as numbers: -0 == 0)."""
        if isinstance(value, int | float) and isinstance(self.value, int | float):
            return self.value == value
        return self.setting.format_option(self.value) == self.setting.format_option(value)


def _numeric_options(options: Sequence[str]) -> tuple:
    """Select-slider options as numbers when every one is a number written as ``:g``."""
    try:
        numbers = tuple(float(option) for option in options)
    except ValueError:
        numbers = ()
    if numbers and all(f"{n:g}" == o for n, o in zip(numbers, options, strict=True)):
        return numbers
    raise AssertionError(f"a select slider with non-numeric options {options[:4]}")


def bound_widgets(at: AppTest) -> dict[str, Bound]:
    """Every widget bound to the URL (``bind="query-params"``), by its URL key."""
    found: dict[str, Bound] = {}

    def add(widget, setting: Setting) -> None:
        assert setting.key not in found, f"two widgets bound to {setting.key!r}"
        found[setting.key] = Bound(setting, widget.value, widget)

    for widget in at.slider:
        proto = widget.proto
        if not proto.HasField("query_param_key"):
            continue
        is_int = proto.data_type == SliderProto.INT
        cast = int if is_int else float
        add(widget, Setting(
            proto.query_param_key, proto.label, cast(proto.default[0]),
            "int" if is_int else "slider", cast(proto.min), cast(proto.max), cast(proto.step),
        ))
    for widget in at.select_slider:
        proto = widget.proto
        if not proto.HasField("query_param_key"):
            continue
        options = _numeric_options(list(proto.options))
        add(widget, Setting(proto.query_param_key, proto.label, options[int(proto.default[0])],
                            "select", options=options))
    for widget in at.selectbox:
        proto = widget.proto
        if not proto.HasField("query_param_key"):
            continue
        options = tuple(proto.options)
        add(widget, Setting(proto.query_param_key, proto.label, options[proto.default],
                            "select", options=options))
    for widget in at.get("button_group"):
        proto = widget.proto
        if not proto.HasField("query_param_key"):
            continue
        assert proto.click_mode == type(proto).ClickMode.SINGLE_SELECT, "multi-select pills"
        options = tuple(option.content for option in proto.options)
        default = options[proto.default[0]] if proto.default else None
        add(widget, Setting(proto.query_param_key, proto.label, default, "segmented",
                            options=options))
    for widget in [*at.toggle, *at.checkbox]:
        proto = widget.proto
        if proto.HasField("query_param_key"):
            add(widget, Setting(proto.query_param_key, proto.label, bool(proto.default),
                                "toggle"))
    for key, bound in live_settings(at).items():
        assert key not in found, f"two controls bound to {key!r}"
        found[key] = bound
    return found


def live_settings(at: AppTest) -> dict[str, Bound]:
    """The settings of every live view rendered in ``at``, with their checked values.

    A live view's controls live in the browser; the checked state the page handed to it is
    in the session (``<name>_values``) and its settings (with ranges narrowed by the other
    values, e.g. the target y < K) come from the view's own definition.
    """
    from explorer.pages import live

    found: dict[str, Bound] = {}
    names = {element.proto.id.rsplit("-", 1)[-1].removesuffix("_live")
             for element in at.get("bidi_component")}
    for name in sorted(names & set(live.VIEWS)):
        view = live.VIEWS[name]
        values = at.session_state[view.values_key]
        refined = {setting.key: setting for setting in view.refine(values)}
        for setting in view.settings:
            setting = refined.get(setting.key, setting)
            found[setting.key] = Bound(setting, values[setting.key], None, live=True)
    return found


def warnings_text(at: AppTest) -> str:
    return "\n".join(str(warning.value) for warning in at.warning)


def named_in_warning(at: AppTest, key: str) -> bool:
    """True when a visible warning names ``key`` as a code span (`` `k` ``)."""
    return f"`{key}`" in warnings_text(at)


def exceptions(at: AppTest) -> list[str]:
    return [f"{error.message}\n{''.join(error.stack_trace)}" for error in at.exception]


def chart_figures(at: AppTest) -> Iterator[tuple[str, dict]]:
    """(element id, decoded figure) of every Plotly chart rendered."""
    for element in at.get("plotly_chart"):
        yield element.proto.id, decode(json.loads(element.proto.spec))


def _gap_mask(trace: dict) -> np.ndarray | None:
    """Where a line trace has a gap marker: x and y both NaN (Plotly breaks the line there).

    A linear classifier's boundaries are drawn as one line trace with NaN between the
    segments, which is how float32 arrays say "no point here"; a NaN in only one of x or y
    (or an infinity) is a broken number, not a gap.
    """
    x, y = trace.get("x"), trace.get("y")
    try:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        return None
    if x.ndim != 1 or x.shape != y.shape:
        return None
    return np.isnan(x) & np.isnan(y)


def non_finite_numbers(figure: Any, path: str = "") -> Iterator[str]:
    """Paths of every NaN or infinite number in a decoded figure (arrays, lists, scalars).

    ``None`` (Plotly's gap) is allowed, and so are the NaN gap markers of line traces
    (see :func:`_gap_mask`); strings are not numbers.
    """
    if isinstance(figure, np.ndarray):
        if figure.dtype.kind in "fc" and not np.all(np.isfinite(figure)):
            yield f"{path} ({int(np.sum(~np.isfinite(figure)))} of {figure.size})"
    elif isinstance(figure, dict):
        gaps = _gap_mask(figure) if "x" in figure and "y" in figure else None
        for name, item in figure.items():
            if gaps is not None and gaps.any() and name in ("x", "y"):
                item = np.asarray(item, dtype=float)[~gaps]
            yield from non_finite_numbers(item, f"{path}.{name}")
    elif isinstance(figure, list):
        for index, item in enumerate(figure):
            yield from non_finite_numbers(item, f"{path}[{index}]")
    elif isinstance(figure, float) and not math.isfinite(figure):
        yield path
