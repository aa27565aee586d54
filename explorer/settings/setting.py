"""The :class:`Setting` type: one control's URL key, label, default, range and parsing.

Every control that changes what is shown is a :class:`Setting`. Its ``key`` is both
the Streamlit widget key and the URL query parameter (widgets are created with
``bind="query-params"``). Streamlit silently drops URL values that its widget rejects;
:meth:`Setting.parse` applies the same acceptance rules, so the page can say *which*
parameter was ignored and *why* (see :func:`explorer.settings.query.check_query`).
Every page's settings are in :mod:`explorer.settings.specs`.

Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from explorer.i18n import _

WidgetKind = Literal["slider", "int", "select", "segmented", "toggle"]


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
        number = url_number(raw)
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



def url_number(raw: str) -> float:
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



def settings_dataclass(name: str, settings: Sequence[Setting], doc: str, module: str,
                       **namespace: Any) -> type:
    """A frozen dataclass with one field per setting, derived from the settings themselves.

    Each field is named by the setting's URL key and defaults to the setting's default, so
    a setting added to ``settings`` is a field, with no second list to keep in step. The
    class gets ``SETTINGS`` (the settings, in order), ``from_values`` (the instance for
    a mapping of URL key -> value, e.g. a page's checked values; keys it lacks keep their
    defaults, keys it does not know are ignored) and ``applies(key)`` (True unless
    ``namespace`` says otherwise: whether a field matters for these values).

    Parameters
    ----------
    name : str
        The class name.
    settings : sequence of Setting
    doc : str
        The class docstring.
    module : str
        The module the class is defined in (``__name__``), so instances pickle
        (``st.cache_data`` stores them).
    **namespace
        Extra class attributes: properties, methods.
    """
    settings = tuple(settings)
    fields = [(setting.key, type(setting.default), dataclasses.field(default=setting.default))
              for setting in settings]

    def from_values(cls, values):
        return cls(**{setting.key: values[setting.key] for setting in cls.SETTINGS
                      if setting.key in values})

    cls = dataclasses.make_dataclass(
        name, fields, frozen=True,
        namespace={"__doc__": doc, "SETTINGS": settings, "from_values": classmethod(from_values),
                   "applies": lambda self, key: True, **namespace},
    )
    cls.__module__ = module
    return cls
