"""Figures of the /training page: pure builders, arrays in, Plotly figure out.

The decision regions and the learning curves are drawn in the browser by the player
(explorer/web/training_player.js, from explorer/player_payload.py); the server draws:

- :func:`landscape_picture` (for the browser's ``landscape`` view): the loss over two
  parameters as a banded picture; the view draws the paths and the player's marker on it.
- :func:`pulls_figure` (``pulls``): each point's pull on the weights of one class.
- :func:`confusion_figure` (``confusion``): the confusion matrix.

Every figure is written directly as Plotly JSON (dicts) and wrapped in a
:class:`PrebuiltFigure`: plotly.py's per-attribute validation costs tens of milliseconds
per chart, which a learner dragging the learning-rate slider would feel on every move.
Figures are deterministic (same input, same JSON), and arrays travel as base64 float32.
"""

from __future__ import annotations

import numpy as np
from plotly.colors import sample_colorscale, sequential

from explorer.figures.png import data_uri, palette_png
from explorer.figures.prebuilt import PrebuiltFigure
from explorer.figures.style import class_color, layout_dict
from explorer.i18n import _
from explorer.page_logic.training_step import Pulls

#: Colours of the first and the second run (the player's curves and the landscape).
RUN_COLORS = ("#1f2937", "#d81b60")
#: Plane units per unit of pull: a fixed scale, so arrows shrink as training converges.
ARROW_SCALE = 0.5
#: At most this many arrows in the pulls chart.
MAX_ARROWS = 400
LINE_COLOR = "#111827"
#: Bands of equal loss on the landscape, and its pixels per grid interval.
LANDSCAPE_BANDS = 14
LANDSCAPE_UPSAMPLE = 4


def _scale(colours: list[str]) -> list[list]:
    """An explicit colour scale from low to high (plotly.js's named scales run the other way
    for some names, so names are never sent)."""
    last = len(colours) - 1
    return [[index / last, colour] for index, colour in enumerate(colours)]


def _band_colours(bands: int) -> list[str]:
    """``bands`` colours from light (low loss) to dark (high loss), as ``rgb(r, g, b)``."""
    return sample_colorscale(_scale(sequential.YlGnBu), [i / (bands - 1) for i in range(bands)])


def _rgb_triplet(colour: str) -> list[int]:
    return [int(float(part)) for part in colour[colour.index("(") + 1 : -1].split(",")]


def landscape_bands(loss, upsample: int = LANDSCAPE_UPSAMPLE,
                    bands: int = LANDSCAPE_BANDS) -> tuple[np.ndarray, float, float]:
    """The loss grid, smoothly enlarged, cut into equal bands of loss.

    Parameters
    ----------
    loss : ndarray, shape (R, R)
        ``loss[i2, i1]`` on an evenly spaced grid (row 0 = smallest second parameter).
    upsample : int
        Each grid interval becomes this many pixels (bilinear interpolation), so the band
        edges come out as smooth curves like contour lines.
    bands : int

    Returns
    -------
    bands : ndarray, shape ((R-1)*upsample + 1, (R-1)*upsample + 1), uint8
        Band of each pixel, 0 (lowest loss) .. bands-1; pixel ``[upsample*i2,
        upsample*i1]`` is grid point ``[i2, i1]``. Row 0 is the bottom.
    low, high : float
        The loss range the bands divide equally.
    """
    loss = np.asarray(loss, dtype=np.float64)
    rows, cols = loss.shape
    fine_rows = np.linspace(0, rows - 1, (rows - 1) * upsample + 1)
    fine_cols = np.linspace(0, cols - 1, (cols - 1) * upsample + 1)
    # Separable bilinear interpolation: along the columns, then along the rows.
    wide = np.array([np.interp(fine_cols, np.arange(cols), row) for row in loss])
    fine = np.array([np.interp(fine_rows, np.arange(rows), column) for column in wide.T]).T
    low, high = float(loss.min()), float(loss.max())
    span = high - low if high > low else 1.0
    band = np.floor((fine - low) / span * bands)
    return np.clip(band, 0, bands - 1).astype(np.uint8), low, high


def _f32(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float32)


def _plane_axes(layout: dict, bounds) -> dict:
    """Equal-aspect x1, x2 axes over ``bounds``, merged into ``layout``."""
    x_min, x_max, y_min, y_max = bounds
    layout["xaxis"] = {**layout.get("xaxis", {}), "range": [x_min, x_max],
                       "title": {"text": "x1"}, "constrain": "domain", "showgrid": False,
                       "zeroline": False}
    layout["yaxis"] = {**layout.get("yaxis", {}), "range": [y_min, y_max],
                       "title": {"text": "x2"}, "scaleanchor": "x", "scaleratio": 1,
                       "constrain": "domain", "constraintoward": "bottom", "showgrid": False,
                       "zeroline": False}
    return layout


def _lines_xy(lines: np.ndarray) -> dict:
    if lines.shape[0] == 0:
        return {"x": _f32([np.nan]), "y": _f32([np.nan])}
    return {"x": _f32(lines[:, 0]), "y": _f32(lines[:, 1])}


def landscape_picture(grid) -> dict:
    """The loss landscape as a banded picture, for the browser's landscape view.

    Parameters
    ----------
    grid : explorer.landscape.LandscapeGrid
        ``loss[i2, i1]`` over ``axis1`` (x) and ``axis2`` (y).

    Returns
    -------
    dict
        ``png``: a data URI of :func:`landscape_bands` coloured by band, whose first row
        is the *bottom* of the plot (smallest second parameter); ``x``, ``y``: the ranges
        ``[first, last]`` of the two axes, which the picture's corner pixels sit on;
        ``low``, ``high``: the loss range; ``colors``: the band colours, lowest first;
        ``labels``: the two parameters' names.
    """
    bands, low, high = landscape_bands(grid.loss)
    band_colours = _band_colours(LANDSCAPE_BANDS)
    colours = np.array([_rgb_triplet(c) for c in band_colours], dtype=np.uint8)
    return {
        "png": data_uri(palette_png(bands, colours)),
        "x": [float(grid.axis1[0]), float(grid.axis1[-1])],
        "y": [float(grid.axis2[0]), float(grid.axis2[-1])],
        "low": low, "high": high, "colors": band_colours, "labels": list(grid.labels),
    }


def pulls_figure(pulls: Pulls, k: int, lines: np.ndarray, bounds, *,
                 max_arrows: int = MAX_ARROWS, height: int = 520) -> PrebuiltFigure:
    """Arrows from each training point: its pull on the weights of class ``k``.

    Parameters
    ----------
    pulls : Pulls
        Points (N, 2), labels (N,), pulls (N, 2) and their mean (2,).
    k : int
        The class whose weights are pulled.
    lines : ndarray, shape (M, 2)
        The decision boundaries at the same step (NaN between polylines).
    bounds : (x_min, x_max, y_min, y_max)
    max_arrows : int
        Only the first ``max_arrows`` points get an arrow (points come in random order).

    Returns
    -------
    PrebuiltFigure
        Arrows are ``ARROW_SCALE * pull`` long, the same scale at every step and for the
        mean arrow: long arrows are the points that still pull hard.
    """
    points = pulls.points[:max_arrows]
    pull = pulls.pull[:max_arrows]
    labels = pulls.labels[:max_arrows]
    tips = points + ARROW_SCALE * pull
    data = [{"type": "scatter", "mode": "lines", "name": _("boundaries"), "hoverinfo": "skip",
             "line": {"color": "#9ca3af", "width": 2}, **_lines_xy(lines)}]
    for own, name, colour in ((True, _("points of class {k}").format(k=k), class_color(k)),
                              (False, _("points of other classes"), "#9ca3af")):
        mask = (labels == k) == own
        if not mask.any():
            continue
        segments = np.full((int(mask.sum()), 3, 2), np.nan)
        segments[:, 0] = points[mask]
        segments[:, 1] = tips[mask]
        flat = segments.reshape(-1, 2)
        delta = tips[mask] - points[mask]
        data.append({"type": "scatter", "mode": "lines", "name": f"{name} (arrows)",
                     "x": _f32(flat[:, 0]), "y": _f32(flat[:, 1]), "hoverinfo": "skip",
                     "line": {"color": colour, "width": 1.6}, "legendgroup": name,
                     "showlegend": False})
        data.append({
            "type": "scatter", "mode": "markers", "name": name, "legendgroup": name,
            "x": _f32(tips[mask, 0]), "y": _f32(tips[mask, 1]),
            "marker": {"symbol": "arrow", "size": 8, "color": colour,
                       "angle": _f32(np.degrees(np.arctan2(delta[:, 0], delta[:, 1])))},
            "customdata": _f32(np.column_stack([points[mask], pull[mask]])),
            "hovertemplate": ("x=(%{customdata[0]:.2f}, %{customdata[1]:.2f})<br>"
                              "pull=(%{customdata[2]:.3f}, %{customdata[3]:.3f})<extra></extra>"),
        })
        data.append({"type": "scatter", "mode": "markers", "name": f"{name} (points)",
                     "x": _f32(points[mask, 0]), "y": _f32(points[mask, 1]),
                     "marker": {"color": colour, "size": 5}, "hoverinfo": "skip",
                     "legendgroup": name, "showlegend": False})
    mean_tip = ARROW_SCALE * pulls.mean_pull
    data.append({
        "type": "scatter", "mode": "lines+markers",
        "name": _("mean pull on w{k} (x1, x2)").format(k=k),
        "x": _f32([0.0, mean_tip[0]]), "y": _f32([0.0, mean_tip[1]]),
        "line": {"color": LINE_COLOR, "width": 4},
        "marker": {"symbol": ["circle", "arrow"], "size": [6, 16], "angleref": "previous",
                   "color": LINE_COLOR},
        "hovertemplate": _("mean pull on w{k}: ({x1}, {x2})").format(
            k=k, x1=f"{pulls.mean_pull[0]:.4f}", x2=f"{pulls.mean_pull[1]:.4f}")
        + "<extra></extra>",
    })
    layout = layout_dict(
        height,
        margin={"l": 50, "r": 10, "t": 36, "b": 44},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0,
                "font": {"size": 13}},
    )
    return PrebuiltFigure({"data": data, "layout": _plane_axes(layout, bounds)})


def confusion_figure(matrix, *, title: str | None = None, height: int = 360) -> PrebuiltFigure:
    """Counts of true class (rows) against predicted class (columns), annotated.

    Parameters
    ----------
    matrix : array_like, shape (K, K)
        ``matrix[i, j]``: points of class i predicted as j.
    """
    matrix = np.asarray(matrix)
    k = matrix.shape[0]
    names = [str(i) for i in range(k)]
    data = [{
        "type": "heatmap", "z": matrix.astype(np.int32), "x": names, "y": names,
        "colorscale": _scale(sequential.Blues), "zmin": 0, "zmax": max(int(matrix.max()), 1),
        "showscale": False, "text": [[str(v) for v in row] for row in matrix.tolist()],
        "texttemplate": "%{text}", "textfont": {"size": 18 if k <= 4 else 15},
        # Translators: %{y}, %{x} and %{z} are Plotly's fields: keep them as they are.
        "hovertemplate": _("true %{y}, predicted %{x}: %{z}") + "<extra></extra>", "xgap": 2,
        "ygap": 2,
    }]
    layout = layout_dict(
        height, title,
        xaxis={"title": {"text": _("predicted class")}, "side": "bottom", "showgrid": False},
        yaxis={"title": {"text": _("true class")}, "autorange": "reversed", "showgrid": False,
               "scaleanchor": "x", "constrain": "domain"},
    )
    return PrebuiltFigure({"data": data, "layout": layout})
