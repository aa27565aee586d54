"""The look shared by every chart: class colours, colour scales, fonts, layout.

Chosen to read on a projector: large fonts, high-contrast colour-blind-safe class colours,
a diverging scale centred at zero for signed quantities (gradients, Jacobians).
"""

from __future__ import annotations

import base64
import copy
import functools

import numpy as np
import plotly.graph_objects as go

#: Colour-blind-safe class colours (Okabe-Ito, then Tol), one per class 0..9.
CLASS_COLORS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
    "#56B4E9", "#332288", "#999933", "#882255", "#44AA99",
)
#: Light tints of the class colours, for decision-region backgrounds.
CLASS_TINTS = (
    "#cce3f0", "#fbecc9", "#c7ebe0", "#f4e0eb", "#f6d5c1",
    "#dcf0fb", "#d6d3e8", "#ebebd5", "#e8d0dc", "#d3eeea",
)
#: Diverging scale for signed values: blue negative, white zero, red positive.
DIVERGING = [
    [0.0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#f7f7f7"], [0.75, "#f4a582"], [1.0, "#b2182b"],
]
SEQUENTIAL = "Viridis"
#: Chart text colour: near-black, contrast 17.7:1 on white.
TEXT_COLOR = "#111827"
FONT = {"family": "Source Sans Pro, Inter, Arial, sans-serif", "size": 15, "color": TEXT_COLOR}
#: Smallest font size (px) of each kind of chart text, on a laptop and in presentation mode
#: (a lecture hall). Every figure goes through :func:`readable_spec`, which raises smaller
#: sizes to these and sets every axis font explicitly, so no chart theme can shrink them.
TEXT_SIZES = {"tick": 14, "axis_title": 16, "cell": 14, "legend": 14, "annotation": 14,
              "title": 17, "hover": 14}
PRESENT_TEXT_SIZES = {"tick": 22, "axis_title": 24, "cell": 22, "legend": 22, "annotation": 22,
                      "title": 26, "hover": 22}
#: WCAG 2.1 AA: the least contrast of chart text on its white background.
MIN_TEXT_CONTRAST = 4.5
#: Passed as ``config=`` to ``st.plotly_chart``: no logo, no clutter in the toolbar.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def class_color(k: int) -> str:
    """The colour of class ``k``."""
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def compact(values) -> np.ndarray:
    """``values`` as float32: half the bytes on the wire, plenty for a chart.

    Parameters
    ----------
    values : array_like, any shape

    Returns
    -------
    ndarray, same shape, float32
    """
    return np.asarray(values, dtype=np.float32)


def base_layout(figure: go.Figure, *, title: str | None = None, height: int = 360) -> go.Figure:
    """Apply the shared look to ``figure`` and return it."""
    figure.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left",
               "font": {"size": TEXT_SIZES["title"], "color": TEXT_COLOR}} if title else None,
        font=FONT,
        height=height,
        margin={"l": 50, "r": 20, "t": 48 if title else 16, "b": 44},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"size": TEXT_SIZES["hover"]}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0},
        uirevision="keep",
    )
    # Explicit axis fonts: a theme's template would otherwise set them (12 px grey).
    axis_text = {"tickfont": {"size": TEXT_SIZES["tick"], "color": TEXT_COLOR},
                 "title_font": {"size": TEXT_SIZES["axis_title"], "color": TEXT_COLOR}}
    figure.update_xaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", automargin=True,
                        **axis_text)
    figure.update_yaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", automargin=True,
                        **axis_text)
    return figure


def symmetric_range(values, floor: float = 1e-12) -> float:
    """The half-width of a colour scale centred at 0 that covers ``values``."""
    largest = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return max(largest, floor)


def _viewed(name: str) -> property:
    """A read-only property ``name`` of a PrebuiltFigure's validated view (plotly.py's own
    while the base class is still being set up)."""
    base = getattr(go.Figure, name)

    def read(self):
        if "_spec" not in self.__dict__:
            return base.fget(self)
        return getattr(self._validated(), name)

    return property(read)


class PrebuiltFigure(go.Figure):
    """A figure given as finished Plotly JSON, handed to ``st.plotly_chart`` as is.

    ``to_dict`` returns the JSON (arrays already as base64 typed arrays) instead of
    re-validating every attribute: plotly.py's validation costs tens of milliseconds per
    chart, felt on every slider move. ``spec`` is the figure for tests to read; ``data``,
    ``layout`` and ``frames`` give a validated ``go.Figure`` view of the same JSON, built
    only when first asked for (never on the page's path: Streamlit reads ``to_dict``).
    """

    def __init__(self, spec: dict):
        super().__init__()
        # BaseFigure's __setattr__ only lets names starting with "_" through.
        self._spec = encode_arrays(readable_spec(spec))
        self._view = None

    @property
    def spec(self) -> dict:
        """The figure's JSON: ``data``, ``layout`` and (for animations) ``frames``."""
        return self._spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def _validated(self) -> go.Figure:
        if self.__dict__.get("_view") is None:
            self._view = go.Figure(decode_arrays(self._spec))
        return self._view

    data = _viewed("data")
    layout = _viewed("layout")
    frames = _viewed("frames")

    def __reduce__(self):
        # st.cache_data pickles return values; keep the JSON exactly as it is.
        return (PrebuiltFigure, (self._spec,))


_TYPED = {np.dtype(np.float64): "f8", np.dtype(np.float32): "f4", np.dtype(np.int32): "i4",
          np.dtype(np.int16): "i2", np.dtype(np.int8): "i1", np.dtype(np.uint8): "u1"}
_UNTYPED = {code: dtype for dtype, code in _TYPED.items()}


def encode_arrays(value):
    """``value`` with every numpy array replaced by a Plotly typed array (base64)."""
    if isinstance(value, dict):
        return {name: encode_arrays(item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode_arrays(item) for item in value]
    if isinstance(value, np.ndarray):
        if value.size == 0 or value.dtype not in _TYPED:
            return value.tolist()
        array = np.ascontiguousarray(value)
        spec = {"dtype": _TYPED[array.dtype],
                "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
        if array.ndim > 1:
            spec["shape"] = ", ".join(str(size) for size in array.shape)
        return spec
    return value


def decode_arrays(value):
    """The inverse of :func:`encode_arrays`: typed arrays back to numpy arrays."""
    if isinstance(value, dict):
        if "bdata" in value and value.get("dtype") in _UNTYPED:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_UNTYPED[value["dtype"]])
            if value.get("shape"):
                array = array.reshape([int(part) for part in str(value["shape"]).split(",")])
            return array
        return {name: decode_arrays(item) for name, item in value.items()}
    if isinstance(value, list):
        return [decode_arrays(item) for item in value]
    return value


@functools.lru_cache(maxsize=32)
def _shared_layout(height: int, title: str | None) -> dict:
    """The shared look of :func:`base_layout` as a plain dict.

    plotly.py's default template is left out (7 kB per chart): Streamlit themes the chart.
    """
    layout = base_layout(go.Figure(), title=title, height=height).layout.to_plotly_json()
    layout.pop("template", None)
    return layout


def layout_dict(height: int, title: str | None = None, **extra) -> dict:
    """A fresh copy of the shared layout (:func:`base_layout`) as a plain dict, with
    ``extra`` merged in one level deep (``xaxis={...}`` adds to the shared axis look)."""
    layout = copy.deepcopy(_shared_layout(height, title))
    for name, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(name), dict):
            layout[name] = {**layout[name], **value}
        else:
            layout[name] = value
    return layout


# ----------------------------------------------------------------------------------------
# Readable text: sizes, colours and contrast that no chart theme overrides.


def _rgb(colour: str) -> tuple[float, float, float, float] | None:
    """``#rgb``, ``#rrggbb``, ``rgb(...)`` or ``rgba(...)`` as (r, g, b, alpha); None otherwise."""
    text = colour.strip().lower()
    if text.startswith("#") and len(text) in (4, 7):
        digits = text[1:] if len(text) == 7 else "".join(ch * 2 for ch in text[1:])
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    if text.startswith(("rgb(", "rgba(")):
        parts = [float(part) for part in text[text.index("(") + 1:-1].split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)
    return None


def _luminance(red: float, green: float, blue: float) -> float:
    def linear(channel: float) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@functools.lru_cache(maxsize=256)
def contrast_ratio(colour: str, background: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of ``colour`` (its alpha painted over ``background``) on
    ``background``; both as hex or ``rgb()``/``rgba()``."""
    fg, bg = _rgb(colour), _rgb(background)
    if fg is None or bg is None:
        raise ValueError(f"contrast_ratio needs hex or rgb() colours, got {colour!r}, "
                         f"{background!r}")
    alpha = fg[3]
    painted = [fg[i] * alpha + bg[i] * (1 - alpha) for i in range(3)]
    light, dark = sorted((_luminance(*painted), _luminance(*bg[:3])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@functools.lru_cache(maxsize=256)
def legible_on_white(colour: str, minimum: float = MIN_TEXT_CONTRAST) -> str:
    """``colour`` itself when text in it reads on white (contrast >= ``minimum``), else the
    same hue darkened just enough (as ``#rrggbb``). Colours that are not hex or rgb() (named
    colours) are returned as they are."""
    parsed = _rgb(colour)
    if parsed is None or contrast_ratio(colour) >= minimum:
        return colour
    red, green, blue, alpha = parsed
    # Paint the alpha over white first, then darken towards black in small steps.
    base = [channel * alpha + 255 * (1 - alpha) for channel in (red, green, blue)]
    for step in range(1, 101):
        factor = 1 - step / 100
        candidate = "#" + "".join(f"{round(channel * factor):02x}" for channel in base)
        if contrast_ratio(candidate) >= minimum:
            return candidate
    return TEXT_COLOR


def text_on(background: str) -> str:
    """Black-ish or white text, whichever has more contrast on ``background`` (a badge)."""
    dark = contrast_ratio(TEXT_COLOR, background)
    light = contrast_ratio("#ffffff", background)
    return TEXT_COLOR if dark >= light else "#ffffff"


def _font(font: dict | None, size: int, *, colour: bool = True) -> dict:
    """``font`` with its size raised to at least ``size`` and its colour made legible."""
    out = dict(font or {})
    current = out.get("size")
    out["size"] = size if not isinstance(current, int | float) else max(current, size)
    if colour:
        out["color"] = legible_on_white(out["color"]) if isinstance(out.get("color"), str) \
            else TEXT_COLOR
    return out


def _titled(title, size: int) -> dict:
    """A title (a string or a dict) as a dict with a readable font."""
    out = {"text": title} if isinstance(title, str) else dict(title or {})
    out["font"] = _font(out.get("font"), size)
    return out


def _colorbar(colorbar: dict, sizes: dict) -> dict:
    out = dict(colorbar)
    out["tickfont"] = _font(out.get("tickfont"), sizes["tick"])
    if "title" in out:
        out["title"] = _titled(out["title"], sizes["axis_title"])
    return out


def _is_axis(name: str) -> bool:
    return (name.startswith(("xaxis", "yaxis")) and name[5:].isdigit()) or name in ("xaxis",
                                                                                   "yaxis")


def readable_spec(spec: dict, sizes: dict | None = None) -> dict:
    """``spec`` (Plotly JSON) with every text at least ``sizes`` (default :data:`TEXT_SIZES`)
    and dark enough to read on white.

    Every axis gets an explicit ``tickfont`` and title font: a theme's template (Streamlit's
    makes ticks 12 px grey) fills in only what the figure leaves unset. Sizes already larger
    stay; colours that fail :data:`MIN_TEXT_CONTRAST` are darkened (same hue). Heatmap cell
    text keeps Plotly's automatic black/white; bar values keep their colour rule. The input is
    not changed.

    Parameters
    ----------
    spec : dict
        ``{"data": [...], "layout": {...}, "frames": [...]?}``.
    sizes : dict, optional
        Least size per text kind: keys as in :data:`TEXT_SIZES`.

    Returns
    -------
    dict
        A new spec; traces, layout and frames are copied where they change.
    """
    sizes = sizes or TEXT_SIZES
    layout = dict(spec.get("layout") or {})
    layout["font"] = _font(layout.get("font"), sizes["tick"])
    for name in [name for name in layout if _is_axis(name)] or ["xaxis", "yaxis"]:
        axis = dict(layout.get(name) or {})
        axis["tickfont"] = _font(axis.get("tickfont"), sizes["tick"])
        axis["title"] = _titled(axis.get("title"), sizes["axis_title"])
        layout[name] = axis
    if layout.get("title"):
        layout["title"] = _titled(layout["title"], sizes["title"])
    legend = dict(layout.get("legend") or {})
    legend["font"] = _font(legend.get("font"), sizes["legend"])
    layout["legend"] = legend
    layout["hoverlabel"] = {**(layout.get("hoverlabel") or {}),
                            "font": _font((layout.get("hoverlabel") or {}).get("font"),
                                          sizes["hover"], colour=False)}
    if layout.get("annotations"):
        layout["annotations"] = [
            {**note, "font": _font(note.get("font"), sizes["annotation"])}
            for note in layout["annotations"]
        ]
    if layout.get("uniformtext"):
        layout["uniformtext"] = {**layout["uniformtext"],
                                 "minsize": max(layout["uniformtext"].get("minsize", 0),
                                                sizes["cell"])}
    for group in ("sliders", "updatemenus"):
        if layout.get(group):
            layout[group] = [_readable_control(item, sizes) for item in layout[group]]
    if isinstance(layout.get("coloraxis"), dict) and "colorbar" in layout["coloraxis"]:
        layout["coloraxis"] = {**layout["coloraxis"],
                               "colorbar": _colorbar(layout["coloraxis"]["colorbar"], sizes)}
    out = {**spec, "layout": layout, "data": [_readable_trace(t, sizes) for t in spec.get("data")
                                              or []]}
    if spec.get("frames"):
        out["frames"] = [
            {**frame, "data": [_readable_trace(t, sizes) for t in frame.get("data") or []]}
            for frame in spec["frames"]
        ]
    return out


def _readable_control(control: dict, sizes: dict) -> dict:
    out = {**control, "font": _font(control.get("font"), sizes["tick"])}
    if "currentvalue" in control:
        current = control["currentvalue"]
        out["currentvalue"] = {**current, "font": _font(current.get("font"), sizes["tick"])}
    return out


def _readable_trace(trace: dict, sizes: dict) -> dict:
    out = dict(trace)
    if "texttemplate" in out or "text" in out:
        # Colour stays as the trace sets it (heatmaps pick black or white per cell).
        out["textfont"] = _font(out.get("textfont"), sizes["cell"], colour=False)
        if isinstance(out["textfont"].get("color"), str):
            out["textfont"]["color"] = legible_on_white(out["textfont"]["color"])
    if isinstance(out.get("colorbar"), dict):
        out["colorbar"] = _colorbar(out["colorbar"], sizes)
    return out


def presented(spec: dict) -> dict:
    """``spec`` for a lecture hall: every text at least :data:`PRESENT_TEXT_SIZES`, dark."""
    return readable_spec(spec, PRESENT_TEXT_SIZES)
