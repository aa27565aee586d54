"""Figures of the /softmax lesson: logits and probabilities, p - y, the Jacobian heatmap.

Pure builders: arrays in, :class:`explorer.figures.style.PrebuiltFigure` out. They draw
exactly the numbers they are handed (as float32, see :func:`explorer.figures.style.compact`)
and build the same figure, byte for byte, from the same inputs.

Every slider move rebuilds all three figures, so each is written directly as Plotly JSON
(plain dicts, arrays as base64 float32) and sent without plotly.py's per-attribute
validation; the shared look of :func:`explorer.figures.style.base_layout` is read once and
merged in.
"""

from __future__ import annotations

import functools
import json

import numpy as np
import plotly.graph_objects as go

from explorer.figures.style import (
    DIVERGING,
    PrebuiltFigure,
    base_layout,
    class_color,
    compact,
    symmetric_range,
)

#: Dark outline marking the target class y.
TARGET_LINE = "#111827"
#: The chart height of the Jacobian grows with K so that every printed value stays legible.
JACOBIAN_BASE_HEIGHT = 250
JACOBIAN_ROW_HEIGHT = 36
#: Height of the probabilities and p - y charts (they sit side by side on a wide screen).
PANEL_HEIGHT = 400
#: Class tick labels: large and dark enough for the back row of a lecture hall.
TICK_FONT = {"size": 14, "color": "#374151"}


def class_ticks(k: int, symbol: str = "") -> dict:
    """Axis ticks ``0..K-1`` (optionally ``p<sub>i</sub>``), each behind a class-coloured square.

    Parameters
    ----------
    k : int
        Number of classes.
    symbol : str
        ``"p"`` gives ``■ p₀``-style labels; ``""`` gives ``■ 0``.

    Returns
    -------
    dict
        ``tickmode``, ``tickvals``, ``ticktext`` and ``tickfont`` of an axis.
    """
    texts = []
    for index in range(k):
        name = f"{symbol}<sub>{index}</sub>" if symbol else str(index)
        texts.append(f"<span style='color:{class_color(index)}'>■</span> {name}")
    return {"tickmode": "array", "tickvals": list(range(k)), "ticktext": texts,
            "tickfont": TICK_FONT}


@functools.cache
def _shared_look() -> str:
    """``style.base_layout`` as JSON, without the parts each figure sets itself."""
    layout = base_layout(go.Figure()).layout.to_plotly_json()
    for key in ("template", "height", "title"):
        layout.pop(key, None)
    return json.dumps(layout, sort_keys=True)


def _layout(height: int, axes: dict[str, dict], **settings) -> dict:
    """A layout dict: the shared look, the shared axis look on every axis in ``axes``."""
    layout = json.loads(_shared_look())
    x_look, y_look = layout.pop("xaxis", {}), layout.pop("yaxis", {})
    layout.update(height=height, **settings)
    for name, axis in axes.items():
        layout[name] = {**(x_look if name.startswith("x") else y_look), **axis}
    return layout


def _value_format(k: int) -> str:
    # Ten bars share a narrow chart: two decimals keep the printed values from colliding.
    return "%{y:.3f}" if k <= 6 else "%{y:.2f}"


def _padded_range(values, *, floor: float, pad: float = 1.3) -> list[float]:
    """A y range centred at 0 that fits ``values`` with room for the printed labels."""
    half = max(floor, float(np.max(np.abs(values))) * pad)
    return [-half, half]


def probs_figure(logits, p, target: int, *, logits_title: str = "logits z") -> PrebuiltFigure:
    """The logits (top) above the probabilities ``p = softmax(z/T)`` (bottom), one column a class.

    Parameters
    ----------
    logits : array_like, shape (K,)
    p : array_like, shape (K,)
        Probabilities; every value is printed on its bar.
    target : int
        The target class y; its bars get a dark outline.
    logits_title : str
        Title of the top panel (says when the logits are scaled).

    Returns
    -------
    PrebuiltFigure
        Trace 0 (``name="z"``) holds the logits, trace 1 (``name="p"``) the probabilities,
        both at ``x = 0..K-1``.
    """
    z = compact(logits)
    probs = compact(p)
    k = probs.shape[0]
    classes = np.arange(k)
    common = {
        "x": classes, "textposition": "outside", "cliponaxis": False, "showlegend": False,
        "marker": {
            "color": [class_color(index) for index in range(k)],
            "line": {"color": TARGET_LINE, "width": [3 if i == target else 0 for i in range(k)]},
        },
    }
    data = [
        {"type": "bar", "y": z, "name": "z", "xaxis": "x", "yaxis": "y",
         "texttemplate": "%{y:.4~g}",
         "hovertemplate": "z<sub>%{x}</sub> = %{y:.4g}<extra></extra>", **common},
        {"type": "bar", "y": probs, "name": "p", "xaxis": "x2", "yaxis": "y2",
         "texttemplate": _value_format(k),
         "hovertemplate": "p<sub>%{x}</sub> = %{y:.6g}<extra></extra>", **common},
    ]
    top, bottom = [0.64, 1.0], [0.0, 0.44]
    ticks = {"fixedrange": True, **class_ticks(k)}
    title = {"xref": "paper", "yref": "paper", "x": 0.0, "xanchor": "left", "yanchor": "bottom",
             "showarrow": False, "font": {"size": 15}, "yshift": 6}
    layout = _layout(
        PANEL_HEIGHT,
        {
            "xaxis": {"anchor": "y", "domain": [0.0, 1.0], **ticks},
            "yaxis": {"anchor": "x", "domain": top, "fixedrange": True, "nticks": 5,
                      "range": _padded_range(z, floor=1.0, pad=1.45)},
            "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0], **ticks},
            "yaxis2": {"anchor": "x2", "domain": bottom, "fixedrange": True,
                       "range": [0.0, 1.22], "tickvals": [0, 0.5, 1]},
        },
        margin={"t": 28, "b": 30, "l": 50, "r": 10}, bargap=0.3,
        uniformtext={"minsize": 12, "mode": "show"},
        annotations=[
            {**title, "text": logits_title, "y": top[1]},
            {**title, "text": "probabilities p = softmax(z / T)", "y": bottom[1]},
        ],
    )
    return PrebuiltFigure({"data": data, "layout": layout})


def dlogits_figure(one_hot, error, *, height: int = PANEL_HEIGHT - 90) -> PrebuiltFigure:
    """The one-hot target y (grey) beside ``p - y`` (class colours), values printed.

    Parameters
    ----------
    one_hot : array_like, shape (K,)
    error : array_like, shape (K,)
        ``p - y``; T times the gradient of ``-log p_y`` with respect to the logits.
    height : int
        Pixels.

    Returns
    -------
    PrebuiltFigure
        Trace 0 (``name="one-hot y"``), trace 1 (``name="p − y"``).
    """
    target = compact(one_hot)
    signal = compact(error)
    k = signal.shape[0]
    classes = np.arange(k)
    data = [
        {"type": "bar", "x": classes, "y": target, "name": "one-hot y",
         "marker": {"color": "rgba(17,24,39,0.10)", "line": {"color": "#6b7280", "width": 1.5}},
         "hovertemplate": "y<sub>%{x}</sub> = %{y:.0f}<extra></extra>"},
        {"type": "bar", "x": classes, "y": signal, "name": "p − y",
         "marker": {"color": [class_color(index) for index in range(k)]},
         "texttemplate": _value_format(k), "textposition": "outside", "cliponaxis": False,
         "hovertemplate": "p<sub>%{x}</sub> − y<sub>%{x}</sub> = %{y:.6g}<extra></extra>"},
    ]
    layout = _layout(
        height,
        {
            "xaxis": {"fixedrange": True, **class_ticks(k)},
            "yaxis": {"fixedrange": True, "range": [-1.25, 1.25],
                      "tickvals": [-1, -0.5, 0, 0.5, 1]},
        },
        barmode="overlay", bargap=0.25, margin={"t": 40, "b": 40, "l": 50, "r": 10},
        uniformtext={"minsize": 12, "mode": "show"},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0.0, "font": {"size": 14}},
    )
    return PrebuiltFigure({"data": data, "layout": layout})


def jacobian_figure(jacobian, *, selected: tuple[int, int] | None = None) -> PrebuiltFigure:
    """Heatmap of ``J[i, j] = dp_i/dz_j``: i down the rows, diverging colours centred at 0.

    Parameters
    ----------
    jacobian : array_like, shape (K, K)
    selected : (i, j), optional
        The entry whose derivation is shown; outlined.

    Returns
    -------
    PrebuiltFigure
        Trace 0 is the heatmap: ``z`` is ``jacobian`` (float32), ``x = y = 0..K-1``, colour
        range ``[-m, m]`` with ``m = max |J|`` and each value printed in its cell. Trace 1
        holds one invisible, clickable marker per cell (``x = j``, ``y = i``).
    """
    jac = compact(jacobian)
    k = jac.shape[0]
    half = symmetric_range(jac)
    indices = np.arange(k)
    font_size = 15 if k <= 5 else (13 if k <= 7 else 11)
    rows, cols = np.divmod(np.arange(k * k), k)
    data = [
        {"type": "heatmap", "z": jac, "x": indices, "y": indices, "zmin": -half, "zmax": half,
         "zmid": 0.0, "colorscale": DIVERGING, "xgap": 1, "ygap": 1, "name": "J",
         "texttemplate": "%{z:.3f}", "textfont": {"size": font_size}, "hoverinfo": "skip",
         "colorbar": {"thickness": 14, "len": 0.9, "tickformat": ".2~g", "outlinewidth": 0}},
        # Plotly cannot select heatmap cells, so an invisible marker at each cell centre takes
        # the clicks (and the hover); with no hover cut-off the nearest centre is the cell.
        {"type": "scatter", "x": cols, "y": rows, "customdata": jac.reshape(-1),
         "mode": "markers", "name": "cells", "marker": {"size": 8, "opacity": 0.0},
         "showlegend": False, "selected": {"marker": {"opacity": 0.0}},
         "unselected": {"marker": {"opacity": 0.0}},
         "hovertemplate": ("∂p<sub>%{y}</sub> / ∂z<sub>%{x}</sub> = %{customdata:.6g}"
                           "<extra>click for the derivation</extra>")},
    ]
    shapes = []
    if selected is not None:
        i, j = selected
        shapes.append({"type": "rect", "x0": j - 0.5, "x1": j + 0.5, "y0": i - 0.5,
                       "y1": i + 0.5, "line": {"color": TARGET_LINE, "width": 3}})
    axis_title = {"size": 16, "color": "#111827"}
    plain = {"showgrid": False, "zeroline": False, "fixedrange": True}
    layout = _layout(
        JACOBIAN_BASE_HEIGHT + JACOBIAN_ROW_HEIGHT * k,
        {
            "xaxis": {"title": {"text": "j (logit z<sub>j</sub>)", "font": axis_title},
                      **plain, **class_ticks(k, "z")},
            "yaxis": {"title": {"text": "i (output p<sub>i</sub>)", "font": axis_title},
                      "autorange": "reversed", **plain, **class_ticks(k, "p")},
        },
        margin={"t": 16, "b": 50, "l": 70, "r": 10}, hovermode="closest", hoverdistance=-1,
        clickmode="event+select", dragmode=False, **({"shapes": shapes} if shapes else {}),
    )
    return PrebuiltFigure({"data": data, "layout": layout})
