"""The look shared by every chart: class colours, colour scales, fonts, text sizes, layout.

Chosen to read on a projector: large fonts, high-contrast colour-blind-safe class colours,
a diverging scale centred at zero for signed quantities (gradients, Jacobians). How these
sizes and colours are enforced on a finished figure is in :mod:`explorer.figures.readable`;
Plotly JSON written directly is :class:`explorer.figures.prebuilt.PrebuiltFigure`.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import plotly.graph_objects as go

#: Colour-blind-safe class colours (Okabe-Ito, then Tol), one per class 0..9.
CLASS_COLORS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
    "#56B4E9", "#332288", "#999933", "#882255", "#44AA99",
)
#: Diverging scale for signed values: blue negative, white zero, red positive.
DIVERGING = [
    [0.0, "#2166ac"], [0.25, "#92c5de"], [0.5, "#f7f7f7"], [0.75, "#f4a582"], [1.0, "#b2182b"],
]
#: Chart text colour: near-black, contrast 17.7:1 on white.
TEXT_COLOR = "#111827"
FONT = {"family": "Source Sans Pro, Inter, Arial, sans-serif", "size": 15, "color": TEXT_COLOR}
#: Smallest font size (px) of each kind of chart text, on a laptop and in presentation mode
#: (a lecture hall). Every figure goes through :func:`explorer.figures.readable.readable_spec`,
#: which raises smaller
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

