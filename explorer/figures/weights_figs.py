"""Figures of the /weights lesson: gradient heatmaps and the plane of a linear classifier.

Pure builders (numpy and plotly, no streamlit): arrays in, :class:`PrebuiltFigure` out
(Plotly JSON written directly: plotly.py's per-attribute validation would cost tens of
milliseconds per slider move). The plane
geometry (decision-region grid, boundary segments) is computed here too, since it only
exists to be drawn. Shapes follow docs/math.md section 1: ``W`` (2, K) with column ``k`` the weight
vector ``w_k`` of class ``k``, ``b`` (K,), one example ``x`` (2,).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.figures.png import data_uri, palette_png
from explorer.figures.style import (
    DIVERGING,
    PrebuiltFigure,
    class_color,
    compact,
    layout_dict,
    symmetric_range,
)
from explorer.i18n import _

#: Half-width of the square plane shown: the sliders of x and W span [-3, 3].
PLANE_EXTENT = 3.3
#: Cells per side of the decision-region grid (coarse: it is only a background).
REGION_CELLS = 80
#: Confidence shades per class in the region picture (the heatmap's continuous scale, binned).
REGION_SHADES = 16
BOUNDARY_COLOR = "#1f2937"
MISTAKE_COLOR = "#d00000"


# ---------------------------------------------------------------------------------------
# Geometry of the linear classifier in the plane


def region_grid(W, b, extent: float = PLANE_EXTENT, cells: int = REGION_CELLS):
    """Winning class and its confidence on a regular grid over ``[-extent, extent]^2``.

    Parameters
    ----------
    W : array_like, shape (2, K)
    b : array_like, shape (K,)
    extent : float
    cells : int
        Grid points per side.

    Returns
    -------
    axis : ndarray, shape (cells,), float32
        Coordinates of the grid along x1 and along x2 (the grid is square).
    encoded : ndarray, shape (cells, cells), float32
        ``encoded[r, c] = k + s`` at the point ``(axis[c], axis[r])``: ``k`` is the argmax
        class and ``s`` in [0, 0.999] its confidence, ``max p`` rescaled from ``1/K..1``.
    """
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    k = W.shape[1]
    axis = np.linspace(-extent, extent, cells)
    x1, x2 = np.meshgrid(axis, axis)
    scores = x1[..., None] * W[0] + x2[..., None] * W[1] + b
    scores -= scores.max(axis=-1, keepdims=True)
    exps = np.exp(scores)
    top = 1.0 / exps.sum(axis=-1)  # the largest exp is exactly 1 after the shift
    winner = scores.argmax(axis=-1)
    confidence = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 0.999)
    return compact(axis), compact(winner + confidence)


def boundary_segment(W, b, first: int, second: int, extent: float = PLANE_EXTENT):
    """The part of the boundary between two classes where they are the top two.

    On the line ``(w_a - w_b) . x + (b_a - b_b) = 0`` the scores of classes ``a`` and ``b``
    are equal; the boundary between their regions is the piece of that line where no
    other class scores higher, clipped to the square ``[-extent, extent]^2``.

    Parameters
    ----------
    W : array_like, shape (2, K)
    b : array_like, shape (K,)
    first, second : int
        The classes ``a`` and ``b``.
    extent : float

    Returns
    -------
    ndarray, shape (2, 2), or None
        The two end points (one per row), or None when the classes never share a
        boundary inside the square (or their weight vectors are equal).
    """
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    normal = W[:, first] - W[:, second]
    offset = b[first] - b[second]
    length = float(np.hypot(*normal))
    if length < 1e-12:
        return None
    # Parametrise the line as origin + t * direction, origin its closest point to 0.
    origin = -offset * normal / length**2
    direction = np.array([-normal[1], normal[0]]) / length
    low, high = -np.inf, np.inf
    # Each constraint reads slope * t + intercept >= 0:
    # (sign * x[axis] <= extent) for the square's sides, then "class a scores at least as
    # much as class c" for every other class c.
    constraints = [(-sign * direction[axis], extent - sign * origin[axis])
                   for axis in (0, 1) for sign in (1.0, -1.0)]
    for other in range(W.shape[1]):
        if other in (first, second):
            continue
        gap = W[:, first] - W[:, other]
        constraints.append((gap @ direction, gap @ origin + b[first] - b[other]))
    for slope, intercept in constraints:
        if abs(slope) < 1e-12:
            if intercept < 0:
                return None
            continue
        bound = -intercept / slope
        if slope > 0:
            low = max(low, bound)
        else:
            high = min(high, bound)
    if not high > low + 1e-9:
        return None
    return np.stack([origin + low * direction, origin + high * direction])


# ---------------------------------------------------------------------------------------
# Heatmaps of 2 x K gradients


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


# ---------------------------------------------------------------------------------------
# The plane: decision regions, boundaries, weight vectors and the example


def _mix_with_white(color: str, amount: float) -> str:
    """``color`` (#rrggbb) moved ``amount`` of the way towards white."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def region_palette(k: int, shades: int = REGION_SHADES) -> np.ndarray:
    """RGB colours of the regions: entry ``cls * shades + band``, from a pale to a strong tint.

    Returns
    -------
    ndarray, shape (k * shades, 3), uint8
        Band ``band`` of class ``cls`` is the colour scale at confidence
        ``(band + 0.5) / shades`` (linear in RGB between the pale and the strong tint).
    """
    rows = []
    for cls in range(k):
        pale = np.array([int(_mix_with_white(class_color(cls), 0.92)[i:i + 2], 16)
                         for i in (1, 3, 5)], dtype=np.float64)
        strong = np.array([int(_mix_with_white(class_color(cls), 0.55)[i:i + 2], 16)
                           for i in (1, 3, 5)], dtype=np.float64)
        for band in range(shades):
            share = (band + 0.5) / shades
            rows.append(np.round(pale + share * (strong - pale)))
    return np.array(rows, dtype=np.uint8)


def region_picture(encoded, k: int, shades: int = REGION_SHADES) -> str:
    """:func:`region_grid`'s ``k + s`` grid as a palette PNG ``data:`` URI.

    Parameters
    ----------
    encoded : ndarray, shape (cells, cells)
        Row 0 is the smallest x2; it becomes the PNG's first row, which Plotly draws at the
        bottom of an increasing y axis.
    k : int
    shades : int
    """
    encoded = np.asarray(encoded, dtype=np.float64)
    cls = np.floor(encoded)
    band = np.minimum((encoded - cls) * shades, shades - 1).astype(np.int64)
    codes = cls.astype(np.int64) * shades + band
    return data_uri(palette_png(codes, region_palette(k, shades)))


def plane_figure(W, b, x, y: int, *, descent=None, extent: float = PLANE_EXTENT,
                 height: int = 600) -> PrebuiltFigure:
    """Decision regions of ``softmax(x W + b)``, their boundaries, the weight vectors and x.

    Parameters
    ----------
    W : array_like, shape (2, K)
        Column ``k`` is drawn as an arrow from the origin in the colour of class ``k``.
    b : array_like, shape (K,)
    x : array_like, shape (2,)
        The example, drawn in the colour of its class ``y``.
    y : int
    descent : array_like, shape (2, K), optional
        A step per weight vector (e.g. ``-dL/dW``), drawn as a dashed arrow from its tip.
    extent : float
    height : int

    Returns
    -------
    PrebuiltFigure
        Traces in order: the regions (a palette PNG ``image`` of :func:`region_grid`, a
        few kB where a heatmap of its numbers would be about 50 kB), the boundaries, one
        arrow per class, the descent arrows (if given), the example.
    """
    W = np.asarray(W, dtype=np.float64)
    k = W.shape[1]
    axis, encoded = region_grid(W, b, extent)
    step = float(axis[1] - axis[0])
    regions = {"type": "image", "source": region_picture(encoded, k),
               "x0": float(axis[0]), "dx": step, "y0": float(axis[0]), "dy": step,
               "zsmooth": "fast", "hoverinfo": "skip", "name": "regions"}
    xs: list[float | None] = []
    ys: list[float | None] = []
    for first in range(k):
        for second in range(first + 1, k):
            segment = boundary_segment(W, b, first, second, extent)
            if segment is not None:
                xs += [*segment[:, 0].tolist(), None]
                ys += [*segment[:, 1].tolist(), None]
    data = [regions, {
        "type": "scatter", "x": xs, "y": ys, "mode": "lines",
        "line": {"color": BOUNDARY_COLOR, "width": 2}, "name": "boundaries",
        "hoverinfo": "skip", "showlegend": False,
    }]
    annotations = []
    for cls in range(k):
        tip = W[:, cls]
        data.append(_arrow((0.0, 0.0), tip, class_color(cls), f"w{cls}", width=4))
        # The label sits just beyond the tip, along the arrow, clear of its head.
        length = float(np.hypot(*tip))
        where = tip * (1.0 + 0.32 / length) if length > 1e-9 else np.array([0.0, 0.3])
        annotations.append({
            "x": float(where[0]), "y": float(where[1]), "text": f"<b>w{cls}</b>",
            "showarrow": False, "font": {"size": 17, "color": class_color(cls)},
            "bgcolor": "rgba(255,255,255,0.6)",
        })
    if descent is not None:
        step = np.asarray(descent, dtype=np.float64)
        for cls in range(k):
            tip = W[:, cls]
            data.append(_arrow(tip, tip + step[:, cls], class_color(cls),
                               f"−∂L/∂w{cls}", width=3, dash="dash"))
    x = np.asarray(x, dtype=np.float64)
    data.append({
        "type": "scatter", "x": [float(x[0])], "y": [float(x[1])], "mode": "markers+text",
        "text": ["x"], "textposition": "top left",
        "textfont": {"size": 18, "color": "#111827"},
        "marker": {"size": 18, "color": class_color(y),
                   "line": {"color": "#111827", "width": 2.5}},
        "name": f"x (class {y})", "hovertemplate": "x = (%{x:.2f}, %{y:.2f})<extra></extra>",
        "showlegend": False,
    })
    layout = layout_dict(
        height, margin={"l": 40, "r": 10, "t": 10, "b": 40}, showlegend=False,
        annotations=annotations,
        xaxis={"range": [-extent, extent], "title": {"text": "x1", "standoff": 4},
               "showgrid": False, "zeroline": True, "constrain": "domain"},
        yaxis={"range": [-extent, extent], "title": {"text": "x2", "standoff": 4},
               "showgrid": False, "zeroline": True, "scaleanchor": "x", "scaleratio": 1,
               "constrain": "domain"},
    )
    return PrebuiltFigure({"data": data, "layout": layout})


def _arrow(start, end, color: str, name: str, *, width: float, dash: str = "solid") -> dict:
    """An arrow from ``start`` to ``end``: a line with an arrow-head marker at its end."""
    return {
        "type": "scatter", "x": [float(start[0]), float(end[0])],
        "y": [float(start[1]), float(end[1])], "mode": "lines+markers",
        "line": {"color": color, "width": width, "dash": dash},
        "marker": {"symbol": ["circle", "arrow"], "size": [0, 3 * width + 4],
                   "angleref": "previous", "color": color},
        "name": name, "hovertemplate": f"{name}: (%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
        "showlegend": False,
    }
