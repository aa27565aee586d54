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
FONT = {"family": "Source Sans Pro, Inter, Arial, sans-serif", "size": 15, "color": "#111827"}
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
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}} if title else None,
        font=FONT,
        height=height,
        margin={"l": 50, "r": 20, "t": 48 if title else 16, "b": 44},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"size": 14}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0.0},
        uirevision="keep",
    )
    figure.update_xaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", automargin=True)
    figure.update_yaxes(gridcolor="#e5e7eb", zerolinecolor="#9ca3af", automargin=True)
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
        self._spec = encode_arrays(spec)
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
