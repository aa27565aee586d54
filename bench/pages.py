"""Which control each benchmark moves on each page, and which chart it watches.

Keys come from :mod:`explorer.settings.specs` (one spec of every setting), so a renamed
setting cannot silently leave the benchmark moving a widget that no longer exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from explorer.pages.lessons import LESSONS
from explorer.settings import specs
from explorer.settings.setting import Setting

REPO = Path(__file__).resolve().parents[1]
BARE_SCRIPT = "bench/bare_app.py"


@dataclass(frozen=True)
class PageSpec:
    """A page and the interaction benchmarked on it.

    Attributes
    ----------
    name : str
        URL path without the slash (``softmax``); "" for the bare app.
    script : str
        The page script (for ``AppTest.switch_page``), relative to the repository root.
    setting : Setting
        The slider that is moved (its key is the widget key and the URL name).
    chart : str
        Key of the chart whose redraw the browser benchmark waits for ("" for none).
    drawn_live : bool
        The slider is an ordinary widget but the chart is drawn by a component
        (``[data-chart=<chart>]``, announced by a ``live-drawn`` event) rather than by
        Plotly: the /training player.
    largest : dict of str to str
        URL settings that make the page do the most work.
    browser_query : dict of str to str
        URL settings for the browser run; they put the slider at the low end of its
        range, so that every ArrowRight press gives a value not seen recently (a value
        seen in the last two runs would come from the browser's message cache).
    live : bool
        The page is a live view (explorer/pages/live.py): its slider is a range input
        ``[data-key=<key>]`` inside the component and ``chart`` is a ``data-chart`` name;
        a press is timed to the frame after the component's ``live-drawn`` event.
    """

    name: str
    script: str
    setting: Setting
    chart: str = ""
    drawn_live: bool = False
    largest: dict[str, str] = field(default_factory=dict)
    browser_query: dict[str, str] = field(default_factory=dict)
    live: bool = False
    #: The slider is a control drawn by a component (``input[data-key=<key>]``) that sends
    #: its state at once, and the server answers with the new chart data: the /training
    #: player's learning rate. Moved like a live view's control, timed like ``drawn_live``.
    live_control: bool = False
    #: For a live page (or a live control): the component's key and where the slider's
    #: value sits in the state the browser syncs (see explorer/pages/live.py).
    component: str = ""
    state_path: tuple = ()
    #: JS run before a press to time the page's slow path too: the /training player's
    #: kept runs forgotten, so the press waits for the server's run (explorer/web/run_cache.js).
    cold_press_js: str = ""

    @property
    def slider(self) -> str:
        """The key of the slider that is moved."""
        return self.setting.key


def _script(url_path: str) -> str:
    return next(lesson.script for lesson in LESSONS if lesson.url_path == url_path)


def _low_end(setting: Setting) -> str:
    if setting.kind == "select":
        return setting.format_option(setting.options[0])
    return setting.format_bound(setting.min_value)


#: Forget the runs the /training player keeps (the page-wide table of run_cache.js).
FORGET_KEPT_RUNS_JS = """() => {
  const table = globalThis[Symbol.for("softmax-explorer.run-cache")];
  if (table) table.runs.clear();
}"""

PAGES: dict[str, PageSpec] = {
    "softmax": PageSpec(
        "softmax", _script("softmax"), specs.SOFTMAX_LOGITS[0], "jacobian",
        largest={specs.SOFTMAX_K.key: str(specs.MAX_CLASSES)},
        browser_query={specs.SOFTMAX_LOGITS[0].key: _low_end(specs.SOFTMAX_LOGITS[0])},
        live=True, component="softmax_live", state_path=("z", 0),
    ),
    "weights": PageSpec(
        "weights", _script("weights"), specs.WEIGHT_SLIDERS[0][0], "dweights",
        largest={specs.WEIGHTS_K.key: str(specs.WEIGHTS_MAX_CLASSES)},
        browser_query={specs.WEIGHT_SLIDERS[0][0].key: _low_end(specs.WEIGHT_SLIDERS[0][0])},
        live=True, component="weights_live", state_path=("W", 0, 0),
    ),
    "training": PageSpec(
        "training", _script("training"), specs.LEARNING_RATE, "loss_curve", drawn_live=True,
        largest={specs.POINTS.key: "5000", specs.STEPS.key: "2000"},
        browser_query={
            specs.POINTS.key: "500", specs.STEPS.key: "300",
            specs.LEARNING_RATE.key: _low_end(specs.LEARNING_RATE),
        },
        live_control=True, component="player", state_path=(specs.LEARNING_RATE.key,),
        cold_press_js=FORGET_KEPT_RUNS_JS,
    ),
    "check": PageSpec(
        "check", _script("check"), specs.CHECK_REG, "",
        largest={
            specs.CHECK_N.key: str(int(specs.CHECK_N.max_value)),
            specs.CHECK_D.key: str(int(specs.CHECK_D.max_value)),
            specs.CHECK_K.key: str(int(specs.CHECK_K.max_value)),
        },
    ),
}

#: The baseline: one slider, one chart (``bench/bare_app.py``).
BARE = PageSpec(
    "", BARE_SCRIPT, Setting("x", "x", 0.0, "slider", -10.0, 10.0, 0.1), "chart"
)

#: Pages of the browser benchmark (those with a chart to watch).
BROWSER_PAGES = ("softmax", "weights", "training")


def live_walk(setting: Setting) -> list:
    """Every value a live control takes, from low to high (its options, or its steps)."""
    if setting.kind == "select":
        return list(setting.options)
    size = round((setting.max_value - setting.min_value) / setting.step)
    return [round(setting.min_value + index * setting.step, 10) for index in range(size + 1)]


def open_page(session, spec: PageSpec, query: dict[str, str] | None = None):
    """Open ``spec``'s page in a :class:`bench.protocol.Session`; return the first run.

    On a live page (or a live control) the slider is a control of the component, moved
    through the state the browser would send back (``Session.use_live_control``).
    """
    first = session.open(spec.name, query)
    if spec.live or spec.live_control:
        session.use_live_control(spec.slider, spec.component, spec.state_path,
                                 live_walk(spec.setting))
    return first
