"""The look shared by every chart: class colours, colour scales, fonts, layout.

Chosen to read on a projector: large fonts, high-contrast colour-blind-safe class colours,
a diverging scale centred at zero for signed quantities (gradients, Jacobians).
"""

from __future__ import annotations

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
