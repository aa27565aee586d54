"""Figures of the /weights lesson: the gradient heatmaps the server still draws.

Pure builders (numpy and plotly, no streamlit): arrays in, :class:`PrebuiltFigure` out
(Plotly JSON written directly: plotly.py's per-attribute validation would cost tens of
milliseconds per slider move). The plane with its decision regions is drawn in the browser
by the live view (explorer/web/). Shapes follow docs/math.md section 1: ``W`` (2, K).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.figures.prebuilt import PrebuiltFigure
from explorer.figures.style import DIVERGING, compact, layout_dict, symmetric_range
from explorer.i18n import _

#: Outline of the cells a formula gets wrong.
MISTAKE_COLOR = "#d00000"


def matrix_heatmap(
    values,
    *,
    title: str,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    zmax: float | None = None,
    highlight: Sequence[tuple[int, int]] = (),
    height: int = 210,
    decimals: int = 3,
    xaxis: dict | None = None,
) -> PrebuiltFigure:
    """A small signed matrix with its values printed, on a diverging scale centred at 0.

    Parameters
    ----------
    values : array_like, shape (R, C)
    title : str
    row_labels, col_labels : sequence of str, lengths R and C
    zmax : float, optional
        Half-width of the colour scale (share it between heatmaps that are compared);
        by default the largest absolute value.
    highlight : sequence of (row, col)
        Cells outlined in red (e.g. entries a formula gets wrong).
    height : int
    decimals : int
        Digits printed in each cell.
    xaxis : dict, optional
        Extra x-axis settings (e.g. its title).

    Returns
    -------
    PrebuiltFigure
        One heatmap trace whose ``z`` holds ``values`` as float32.
    """
    z = compact(values)
    # Narrower cells for many columns: keep the printed numbers inside them.
    text_size = 16 if z.shape[1] <= 3 else 15 if z.shape[1] == 4 else 13
    half = symmetric_range(z) if zmax is None else max(float(zmax), 1e-12)
    heatmap = {
        "type": "heatmap", "z": z, "x": list(col_labels), "y": list(row_labels),
        "zmin": -half, "zmax": half, "zmid": 0.0, "colorscale": DIVERGING, "showscale": False,
        "texttemplate": f"%{{z:.{decimals}f}}", "textfont": {"size": text_size},
        "hovertemplate": "%{y}, %{x}: %{z:.6g}<extra></extra>", "xgap": 2, "ygap": 2,
    }
    shapes = [{"type": "rect", "x0": col - 0.47, "x1": col + 0.47, "y0": row - 0.45,
               "y1": row + 0.45, "line": {"color": MISTAKE_COLOR, "width": 3, "dash": "dot"}}
              for row, col in highlight]
    # Category axes: labels such as "0" must not be read as numbers (and thinned out).
    layout = layout_dict(
        height, title, margin={"l": 40, "r": 10, "t": 44, "b": 48},
        xaxis={"type": "category", "showgrid": False, "zeroline": False,
               "tickfont": {"size": 14}, **(xaxis or {})},
        yaxis={"type": "category", "autorange": "reversed", "showgrid": False,
               "zeroline": False, "tickfont": {"size": 14}},
    )
    if shapes:
        layout["shapes"] = shapes
    return PrebuiltFigure({"data": [heatmap], "layout": layout})


def class_labels(k: int) -> list[str]:
    """Column labels ``0 .. K-1`` (the axis title says they are classes)."""
    return [str(i) for i in range(k)]


FEATURE_LABELS = ("x1", "x2")


def weight_gradient_heatmap(values, *, title: str, zmax: float | None = None,
                            highlight: Sequence[tuple[int, int]] = ()) -> PrebuiltFigure:
    """A (2, K) derivative with respect to W: rows the features x1, x2, columns the classes."""
    values = np.asarray(values)
    return matrix_heatmap(
        values, title=title, row_labels=FEATURE_LABELS, col_labels=class_labels(values.shape[1]),
        zmax=zmax, highlight=highlight,
        xaxis={"title": {"text": _("class"), "standoff": 8, "font": {"size": 14}}},
    )
