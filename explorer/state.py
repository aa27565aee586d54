"""One spec of every setting the app shows: default, range, URL key, and parsing.

Every control that changes what is shown is a :class:`Setting`. Its ``key`` is both
the Streamlit widget key and the URL query parameter (widgets are created with
``bind="query-params"``). Streamlit silently drops URL values that its widget rejects;
:func:`Setting.parse` applies the same acceptance rules, so the page can say *which*
parameter was ignored and *why* (see :func:`check_query`).

Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from explorer.i18n import DEFAULT_LANGUAGE, LANGUAGES, _

WidgetKind = Literal["slider", "int", "select", "segmented", "toggle"]

#: Longest URL value quoted back in a warning (a pasted essay is cut, not echoed).
MAX_QUOTED = 40


@dataclass(frozen=True)
class Setting:
    """A control: its URL key, label, default and the values it accepts.

    Attributes
    ----------
    key : str
        The URL query parameter and the widget key.
    label : str
        What the learner reads next to the control.
    default : float, int, str or bool
    kind : {"slider", "int", "select", "segmented", "toggle"}
        ``slider``: a float in [min_value, max_value]; ``int``: a whole number in range;
        ``select``: one of ``options`` (written in the URL as :meth:`format_option`);
        ``segmented``: the same, shown as a segmented control (which reads the URL
        differently, see :func:`resolve_query`); ``toggle``: true or false.
    min_value, max_value, step : float, optional
    options : tuple
        The choices of a ``select`` setting.
    help : str
        A one-line tooltip.
    """

    key: str
    label: str
    default: Any
    kind: WidgetKind
    min_value: float | None = None
    max_value: float | None = None
    step: float | None = None
    options: tuple = ()
    help: str = ""

    def format_option(self, option: Any) -> str:
        """The text of ``option`` in the URL and on the widget (``0.7``, ``20``, ``adam``)."""
        if isinstance(option, float):
            return f"{option:g}"
        return str(option)

    def with_range(self, min_value: float | None = None, max_value: float | None = None):
        """A copy whose range depends on other settings (e.g. the target class on K)."""
        low = self.min_value if min_value is None else min_value
        high = self.max_value if max_value is None else max_value
        default = self.default
        if self.kind in ("slider", "int") and high is not None and default > high:
            default = type(self.default)(high)
        return dataclasses.replace(self, min_value=low, max_value=high, default=default)

    def with_options(self, options: Sequence[Any]):
        """A copy of a ``select`` setting restricted to ``options``."""
        options = tuple(options)
        default = self.default if self.default in options else options[0]
        return dataclasses.replace(self, options=options, default=default)

    @property
    def uses_select_slider(self) -> bool:
        """A ``select`` setting whose options are all numbers is shown as a select slider."""
        return self.kind == "select" and all(
            isinstance(option, int | float) for option in self.options
        )

    def parse(self, raw: str) -> Any:
        """Convert one URL value to the setting's value, or raise ValueError saying why.

        Accepts exactly what the bound Streamlit widget accepts, so that a value this
        rejects is the value Streamlit drops (tests/app/test_state_consistency.py checks
        this against Streamlit itself): ``true``/``false`` in any case but without spaces;
        an option exactly as written by :meth:`format_option`; numbers as Python's
        ``float`` reads them (so ``٣`` is 3), finite and in range, a whole-number
        setting keeping the integer part (``2.5`` gives 2, as Streamlit does).
        """
        if self.kind == "toggle":
            lowered = raw.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            raise ValueError(_("expected true or false"))
        if self.kind in ("select", "segmented"):
            for option in self.options:
                if raw == self.format_option(option):
                    return option
            raise ValueError(_("expected one of {options}").format(options=_list_options(self)))
        number = _url_number(raw)
        if not math.isfinite(number):
            raise ValueError(_("not a finite number"))
        if not self.min_value <= number <= self.max_value:
            raise ValueError(_("outside the range {low}..{high}").format(
                low=self.format_bound(self.min_value), high=self.format_bound(self.max_value)))
        return int(number) if self.kind == "int" else number

    def format_bound(self, value: float) -> str:
        return f"{value:g}"


def _list_options(setting: Setting) -> str:
    texts = [setting.format_option(option) for option in setting.options]
    if len(texts) > 8:
        texts = [*texts[:3], "…", *texts[-2:]]
    return ", ".join(texts)


def _url_number(raw: str) -> float:
    """``raw`` read as a number the way Streamlit reads a slider's URL value.

    Streamlit tries ``float`` and then, for its date and time sliders, an ISO date or
    time read as microseconds since 1970-01-01 -- on every slider, so
    ``1970-01-01T00:00:00.000003`` means 3.
    """
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        if "T" in raw:
            moment = datetime.datetime.fromisoformat(raw)
            if moment.tzinfo is None:
                return _micros_since_1970(moment)
        elif "-" in raw:
            return _micros_since_1970(datetime.datetime.combine(
                datetime.date.fromisoformat(raw), datetime.time()))
        elif ":" in raw:
            moment = datetime.time.fromisoformat(raw)
            if moment.tzinfo is None:
                return _micros_since_1970(datetime.datetime.combine(_TIME_BASE_DATE, moment))
    except ValueError:
        pass
    raise ValueError(_("not a number"))


_EPOCH = datetime.datetime(1970, 1, 1)
_TIME_BASE_DATE = datetime.date(2000, 1, 1)


def _micros_since_1970(moment: datetime.datetime) -> float:
    delta = moment - _EPOCH
    return float(delta.microseconds + (delta.seconds + delta.days * 86_400) * 1_000_000)


def quote_value(raw: str) -> str:
    """``raw`` shortened, repr-quoted and put in a Markdown code span.

    The notes are shown with ``st.warning``, which renders Markdown: inside a code span
    a pasted link, image, HTML tag, ``$math$`` or ``:material/icon:`` stays plain text.
    """
    shortened = raw if len(raw) <= MAX_QUOTED else raw[:MAX_QUOTED] + "…"
    return code_span(repr(shortened))


def code_span(text: str) -> str:
    """``text`` as a Markdown inline code span, fenced by more backticks than it contains."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else text
    return f"{fence}{padded}{fence}"


def plain_text(text: str, limit: int = 300) -> str:
    """``text`` made safe to show inside Markdown (``st.error``): a one-line code span.

    Text that came from an uploaded file (its name, a rejected cell) may hold a link, an
    image, an HTML tag, ``$math$`` or a bare ``https://`` address that Markdown would
    render; inside a code span it all stays literal. Newlines become spaces and text
    longer than ``limit`` characters is cut.
    """
    shortened = text if len(text) <= limit else text[:limit] + "…"
    return code_span(re.sub(r"[\r\n]+", " ", shortened))


def resolve_query(setting: Setting, values: Sequence[str]) -> Any:
    """The value the bound widget takes from the URL values ``values``, or ValueError why not.

    Mirrors Streamlit 1.67: a toggle or a select box reads the *last* value given (an
    all-empty parameter is dropped); a slider or a select slider drops empty values and
    needs exactly one left; a segmented control reads the *first* non-empty value (an
    all-empty parameter clears it to None, which
    :func:`explorer.pages.controls.control` turns into the default).
    """
    if not values:
        raise ValueError(_("no value"))
    if all(value == "" for value in values):
        raise ValueError(_("empty"))
    if setting.kind == "segmented":
        return setting.parse(next(value for value in values if value != ""))
    if setting.kind == "toggle" or (setting.kind == "select" and not setting.uses_select_slider):
        return setting.parse(values[-1])
    given = [value for value in values if value != ""]
    if len(given) > 1:
        raise ValueError(_("one value expected, got {count}").format(count=len(given)))
    return setting.parse(given[0])


def check_query(setting: Setting, values: Sequence[str]) -> str | None:
    """Why the URL values given for ``setting`` are ignored, or None when they are used.

    Parameters
    ----------
    setting : Setting
    values : sequence of str
        Every value the URL gives for ``setting.key`` (a key may be repeated).

    Returns
    -------
    str or None
        A Markdown sentence naming the parameter, the value (cut to ``MAX_QUOTED``
        characters, in a code span), the reason and the default used.
    """
    if not values:
        return None
    try:
        resolve_query(setting, values)
    except ValueError as error:
        default_text = setting.format_option(setting.default)
        if len(values) == 1:
            return _("`{key}`={value} was ignored ({reason}); using the default {default}.").format(
                key=setting.key, value=quote_value(values[0]), reason=error,
                default=default_text)
        return _("`{key}` (given {count} times, last {value}) was ignored ({reason}); using the "
                 "default {default}.").format(
            key=setting.key, count=len(values), value=quote_value(values[-1]), reason=error,
            default=default_text)
    return None


def query_notes(
    settings: Sequence[Setting], query: Mapping[str, Sequence[str]]
) -> list[str]:
    """Notes for every setting whose URL value is ignored, in the order of ``settings``."""
    notes = []
    for setting in settings:
        note = check_query(setting, query.get(setting.key, ()))
        if note:
            notes.append(note)
    return notes


def read_link_value(setting: Setting, values: Sequence[str]) -> tuple[Any, str | None]:
    """The value a live page takes from the URL values of ``setting``, and a note or None.

    A live view reads its URL itself (no Streamlit widget drops values there), so it can be
    kinder than :func:`resolve_query`: a numeric option in any spelling is that option
    (``t=2.0`` is the stop 2), and a whole-number setting given a fraction keeps its integer
    part *with* a note saying so (``y=1.5`` is class 1). Anything else that
    :func:`resolve_query` rejects gives the default and :func:`check_query`'s note.

    Parameters
    ----------
    setting : Setting
    values : sequence of str
        Every value the URL gives for ``setting.key`` (empty when absent).

    Returns
    -------
    value, note : the value to use, and a Markdown sentence or None
    """
    if not values:
        return setting.default, None
    try:
        value = resolve_query(setting, values)
    except ValueError:
        option = _numeric_option(setting, values[-1])
        if option is not None and len([v for v in values if v != ""]) == 1:
            return option, None
        return setting.default, check_query(setting, values)
    if setting.kind == "int":
        number = _url_number(next(v for v in values if v != ""))
        if number != value:
            return value, _("`{key}`={value} is not a whole number; using {used}.").format(
                key=setting.key, value=quote_value(values[-1]), used=value)
    return value, None


def _numeric_option(setting: Setting, raw: str) -> Any:
    """The option of a numeric ``select`` setting equal to ``raw`` read as a number, or None."""
    if not (setting.kind == "select" and setting.uses_select_slider):
        return None
    try:
        number = float(raw)
    except ValueError:
        return None
    return next((option for option in setting.options if option == number), None)


def browser_value(setting: Setting, value: Any) -> Any:
    """A value a live view sent back, checked like a URL value; ValueError says why not.

    The browser is user input: a JSON number, boolean or string must pass the same
    :class:`Setting` checks as the URL (and a whole-number setting must get a whole number).
    """
    if isinstance(value, bool):
        raw = "true" if value else "false"
    elif isinstance(value, int | float):
        raw = repr(float(value)) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        raw = value
    else:
        raise ValueError(_("{key}: expected a number, true/false or an option").format(
            key=setting.key))
    parsed, note = read_link_value(setting, [raw])
    if note:
        raise ValueError(note)
    return parsed


def log_stops(low: float, high: float) -> tuple[float, ...]:
    """Readable, roughly logarithmic stops from ``low`` to ``high`` (1, 1.5, 2, 3, 5, 7 ...).

    Raises ValueError unless ``0 < low <= high`` and both are finite.
    """
    if not (0 < low <= high and math.isfinite(high)):
        raise ValueError(f"log_stops needs finite 0 < low <= high, got {low!r}, {high!r}")
    mantissas = ("1", "1.5", "2", "3", "5", "7")
    first, last = math.floor(math.log10(low)), math.floor(math.log10(high))
    stops = set()
    # One decade of margin each side absorbs log10 rounding; the filter keeps the range.
    for exponent in range(first - 1, last + 2):
        for mantissa in mantissas:
            value = float(f"{mantissa}e{exponent}")  # the decimal itself: 0.00015, not 1.5*1e-4
            if low <= value <= high:
                stops.add(value)
    return tuple(sorted(stops))


# ----------------------------------------------------------------------------------------
# Every page
PRESENT = Setting(
    "present", "Presentation mode", False, "toggle",
    help="For a projector: larger, darker chart text, the sidebar folded away, the main "
         "picture and its controls on one screen, secondary panels collapsed.",
)

LANGUAGE = Setting(
    "lang", "Language", DEFAULT_LANGUAGE, "select", options=tuple(LANGUAGES),
    help="The language of every text of the explorer; the numbers stay as they are.",
)

# ----------------------------------------------------------------------------------------
# /softmax
MAX_CLASSES = 10
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -2.0, 0.0, 3.0)

SOFTMAX_K = Setting(
    "k", "Classes K", 4, "int", 2, MAX_CLASSES, 1, help="How many logits go into the softmax."
)
SOFTMAX_LOGITS = tuple(
    Setting(
        f"z{i}", f"z{i}", DEFAULT_LOGITS[i], "slider", -10.0, 10.0, 0.1,
        help=f"The logit (score) of class {i}.",
    )
    for i in range(MAX_CLASSES)
)
TEMPERATURE = Setting(
    "t", "Temperature T", 1.0, "select",
    options=(0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
             1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0),
    help="Divides every logit: T < 1 sharpens the distribution, T > 1 flattens it.",
)
SOFTMAX_TARGET = Setting(
    "y", "Target class y", 0, "int", 0, MAX_CLASSES - 1, 1,
    help="The true class, used for the cross-entropy gradient p - y.",
)
OVERFLOW_DEMO = Setting(
    "big", "Overflow demo: +1000 to every logit", False, "toggle",
    help="Adds 1000 to every logit (p does not change) and compares the textbook and the "
         "stable softmax.",
)
JACOBIAN_CELL = Setting(
    "cell", "Jacobian entry i,j", "0,1", "select",
    options=tuple(f"{i},{j}" for i in range(MAX_CLASSES) for j in range(MAX_CLASSES)),
    help="The entry J[i, j] = dp_i/dz_j whose derivation is shown.",
)

# ----------------------------------------------------------------------------------------
# /weights
WEIGHTS_MAX_CLASSES = 5
DEFAULT_WEIGHTS = ((1.0, -0.5, 0.2, 0.8, -1.0), (0.3, 1.0, -0.8, -0.6, 0.5))
DEFAULT_BIASES = (0.0, 0.2, -0.1, 0.3, -0.3)

WEIGHTS_K = Setting(
    "k", "Classes K", 3, "int", 2, WEIGHTS_MAX_CLASSES, 1, help="Number of classes."
)
EXAMPLE_X1 = Setting("x1", "x1", 1.0, "slider", -3.0, 3.0, 0.1, help="First feature of x.")
EXAMPLE_X2 = Setting("x2", "x2", 0.5, "slider", -3.0, 3.0, 0.1, help="Second feature of x.")
WEIGHTS_TARGET = Setting(
    "y", "Class of x", 0, "int", 0, WEIGHTS_MAX_CLASSES - 1, 1, help="The true class of x."
)
WEIGHT_SLIDERS = tuple(
    tuple(
        Setting(
            # W[i,k] (0-based, as on /training): feature i (x1 is row 0), class k. The URL
            # names w1_0 ... keep their 1-based feature number: links stay valid.
            f"w{row + 1}_{col}", f"W[{row},{col}]", DEFAULT_WEIGHTS[row][col], "slider",
            -3.0, 3.0, 0.1, help=f"W[{row},{col}]: weight from feature x{row + 1} to class {col}.",
        )
        for col in range(WEIGHTS_MAX_CLASSES)
    )
    for row in range(2)
)
BIAS_SLIDERS = tuple(
    Setting(f"b{col}", f"b{col}", DEFAULT_BIASES[col], "slider", -3.0, 3.0, 0.1,
            help=f"Bias of class {col}.")
    for col in range(WEIGHTS_MAX_CLASSES)
)
WEIGHTS_REG = Setting(
    "reg", "L2 strength reg", 0.0, "slider", 0.0, 2.0, 0.05,
    help="Adds 0.5·reg·ΣW² to the loss and reg·W to its gradient.",
)
PROB_CLASS = Setting(
    "j", "Probability p_j to differentiate", 0, "int", 0, WEIGHTS_MAX_CLASSES - 1, 1,
    help="Shows dp_j/dw_i for every class i.",
)
WEIGHTS_LR = Setting(
    "lr", "Learning rate", 0.5, "select", options=log_stops(0.01, 5.0),
    help="Step size of the 'take one gradient step' button: W -= lr·dL/dW, b -= lr·dL/db.",
)
COMMON_MISTAKE = Setting(
    "mistake", "Common mistake: treat the denominator as constant", False, "toggle",
    help="Drops the -p_j p_i x term, as if Σ exp(w_k·x) did not depend on w_i.",
)

# ----------------------------------------------------------------------------------------
# /training
DATASET_NAMES = ("blobs", "spiral", "xor", "circles", "moons", "custom")
OPTIMIZER_NAMES = ("gd", "sgd", "momentum", "nesterov", "adam", "rmsprop")
LEARNING_RATES = log_stops(1e-4, 10.0)

DATASET = Setting("dataset", "Dataset", "blobs", "select", options=DATASET_NAMES)
POINTS = Setting("n", "Points n", 300, "int", 20, 5000, 10, help="How many points to draw.")
CLASSES = Setting("classes", "Classes", 3, "int", 2, 6, 1, help="How many classes.")
NOISE = Setting("noise", "Noise", 0.2, "slider", 0.0, 1.0, 0.05, help="Spread of the points.")
DATA_SEED = Setting("seed", "Data seed", 0, "int", 0, 9999, 1, help="Draws another dataset.")
TEST_FRACTION = Setting(
    "test", "Test fraction", 0.25, "slider", 0.0, 0.5, 0.05,
    help="Share of the points held out to measure generalisation.",
)
FEATURES = Setting(
    "features", "Features", "raw", "select", options=("raw", "quadratic"),
    help="quadratic adds x1², x2², x1·x2 so a linear model can draw curved boundaries.",
)
FEATURE_SCALE = Setting(
    "scale", "Input scale ×", 1, "select", options=(1, 10, 100),
    help="Multiplies every point by this factor before training: the classic lesson on "
    "unscaled inputs (the largest stable learning rate shrinks by its square).",
)
SHOW_TEST = Setting(
    "showtest", "Show test points", True, "toggle",
    help="Draw the held-out points (hollow) on the decision regions.",
)
DISCRETE = Setting(
    "discrete", "Discretize output", False, "toggle",
    help="Hard regions (the predicted class only) instead of confidence shading.",
)
OPTIMIZER = Setting("optimizer", "Optimizer", "gd", "select", options=OPTIMIZER_NAMES)
LEARNING_RATE = Setting(
    "lr", "Learning rate", 0.5, "select", options=LEARNING_RATES, help="Step size."
)
STEPS = Setting("steps", "Steps", 100, "int", 1, 2000, 1, help="Number of updates.")
TRAIN_REG = Setting(
    "reg", "L2 strength reg", 0.0, "slider", 0.0, 1.0, 0.005, help="Weight decay on W."
)
BATCH = Setting(
    "batch", "Batch size", 32, "int", 1, 5000, 1, help="Mini-batch size for sgd (and others)."
)
INIT_SEED = Setting("init", "Init seed", 0, "int", 0, 9999, 1, help="Initial weights.")
COMPARE = Setting(
    "compare", "Compare", False, "toggle",
    help="Train again from the same start with another optimizer or learning rate.",
)
OPTIMIZER_B = Setting("optimizer2", "Second optimizer", "momentum", "select",
                      options=OPTIMIZER_NAMES)
LEARNING_RATE_B = Setting(
    "lr2", "Second learning rate", 0.1, "select", options=LEARNING_RATES,
    help="Step size of the second run.",
)
STEP_AT = Setting(
    "at", "Inspect step", 2000, "int", 0, 2000, 1,
    help="The model after this many steps: the landscape slice, the pulls, the table.",
)
VIEW = Setting("view", "Panel", "Landscape", "segmented",
               options=("Landscape", "Pulls", "Examples", "Downloads"))
TRAINING_PARAMS = tuple(
    [f"W[{row},{col}]" for row in range(5) for col in range(6)] + [f"b[{k}]" for k in range(6)]
)
LANDSCAPE_X = Setting(
    "px", "Landscape x-axis", "W[0,0]", "select", options=TRAINING_PARAMS,
    help="W[i,k]: weight from input i to class k; b[k]: bias of class k.",
)
LANDSCAPE_Y = Setting(
    "py", "Landscape y-axis", "W[1,0]", "select", options=TRAINING_PARAMS,
    help="W[i,k]: weight from input i to class k; b[k]: bias of class k.",
)
TABLE_ORDER = Setting(
    "order", "Order", "dataset order", "select",
    options=("dataset order", "highest loss first", "lowest loss first"),
    help="Sort the training points by their loss -log p_y at the inspected step.",
)
TABLE_PAGE = Setting(
    "rows", "Page", 1, "int", 1, 100, 1, help="Which page of 50 training points to show.",
)
PULL_CLASS = Setting(
    "pull", "Class whose weights are pulled", 0, "int", 0, 5, 1,
    help="Shows how every training point pulls the weights w_k of this class.",
)

# ----------------------------------------------------------------------------------------
# /check
CHECK_N = Setting("n", "Examples N", 50, "int", 1, 500, 1)
CHECK_D = Setting("d", "Features D", 3, "int", 1, 10, 1)
CHECK_K = Setting("k", "Classes K", 4, "int", 2, 10, 1)
CHECK_SEED = Setting("seed", "Seed", 0, "int", 0, 9999, 1)
CHECK_REG = Setting("reg", "L2 strength reg", 0.1, "slider", 0.0, 2.0, 0.05)
