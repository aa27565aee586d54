"""Figures of the /training page: pure builders, arrays in, Plotly figure out.

- :func:`regions_figure` (chart key ``regions``): the plane coloured by predicted class,
  shaded by confidence, with the boundaries, the points, a step slider and Play button
  that animate on the client (Plotly frames that replace only the picture and the lines).
- :func:`loss_curve_figure` (``loss_curve``): loss and accuracy against step, one or two runs.
- :func:`landscape_figure` (``landscape``): the loss over two parameters, with the paths.
- :func:`pulls_figure` (``pulls``): each point's pull on the weights of one class.
- :func:`confusion_figure` (``confusion``): the confusion matrix.

Figures are deterministic (same input, same JSON), and arrays travel as float32 except
the training loss, which is sent exactly (float64) so that what the learner reads on
hover is the number the library computed.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.figures.png import data_uri, palette_png
from explorer.figures.style import base_layout, class_color, compact
from explorer.training_run import CONFIDENCE_LEVELS, Pulls, RegionFrames

#: Above this many points a scatter uses WebGL.
WEBGL_POINTS = 1000
#: Colours of the first and the second run in the curves and the landscape.
RUN_COLORS = ("#1f2937", "#d81b60")
#: Shading of the regions: the class colour's share at the lowest and highest confidence.
SHADE_RANGE = (0.10, 0.55)
#: Plane units per unit of pull: a fixed scale, so arrows shrink as training converges.
ARROW_SCALE = 0.5
#: At most this many arrows in the pulls chart.
MAX_ARROWS = 400
#: At most this many points of a path on the landscape.
MAX_PATH_POINTS = 500
LINE_COLOR = "#111827"
EMPTY_TEMPLATE = go.layout.Template()


def _hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)


def region_palette(classes: int, levels: int = CONFIDENCE_LEVELS) -> np.ndarray:
    """RGB colours of (class, confidence band) pairs: entry ``k * levels + band``.

    Returns
    -------
    ndarray, shape (classes * levels, 3), uint8
        White mixed with the class colour, more of it for a surer band.
    """
    low, high = SHADE_RANGE
    white = np.array([255.0, 255.0, 255.0])
    rows = []
    for k in range(classes):
        colour = _hex_rgb(class_color(k))
        for band in range(levels):
            share = low + (high - low) * (band + 0.5) / levels
            rows.append(np.round(white + share * (colour - white)))
    return np.array(rows, dtype=np.uint8)


def region_images(frames: RegionFrames, classes: int) -> list[str]:
    """One PNG ``data:`` URI per frame; the PNG's first row is the raster's row 0 (bottom)."""
    palette = region_palette(classes)
    codes = frames.predicted.astype(np.int64) * CONFIDENCE_LEVELS + frames.confidence
    return [data_uri(palette_png(code, palette)) for code in codes]


def _points_traces(X_train, y_train, X_test, y_test, classes: int) -> list:
    """Training points (filled) and test points (hollow), one trace per class and split."""
    many = X_train.shape[0] + X_test.shape[0] > WEBGL_POINTS
    scatter = go.Scattergl if many else go.Scatter
    traces = []
    for k in range(classes):
        mask = y_train == k
        traces.append(scatter(
            x=compact(X_train[mask, 0]), y=compact(X_train[mask, 1]), mode="markers",
            name=f"class {k}", legendgroup=f"class {k}",
            marker={"color": class_color(k), "size": 7, "line": {"color": "white", "width": 0.8}},
            hovertemplate=f"class {k} (train)<br>x1=%{{x:.2f}}, x2=%{{y:.2f}}<extra></extra>",
        ))
    for k in range(classes):
        mask = y_test == k
        if not mask.any():
            continue
        traces.append(scatter(
            x=compact(X_test[mask, 0]), y=compact(X_test[mask, 1]), mode="markers",
            name=f"class {k} (test)", legendgroup=f"class {k}", showlegend=False,
            marker={"color": class_color(k), "size": 8, "symbol": "circle-open",
                    "line": {"width": 2}},
            hovertemplate=f"class {k} (test)<br>x1=%{{x:.2f}}, x2=%{{y:.2f}}<extra></extra>",
        ))
    return traces


def _plane_axes(figure: go.Figure, bounds) -> None:
    x_min, x_max, y_min, y_max = bounds
    figure.update_xaxes(range=[x_min, x_max], title_text="x1", constrain="domain",
                        showgrid=False, zeroline=False)
    figure.update_yaxes(range=[y_min, y_max], title_text="x2", scaleanchor="x",
                        scaleratio=1, constrain="domain", constraintoward="bottom",
                        showgrid=False, zeroline=False)


def _lines_xy(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if lines.shape[0] == 0:
        return compact([np.nan]), compact([np.nan])
    return compact(lines[:, 0]), compact(lines[:, 1])


def regions_figure(
    frames: RegionFrames, X_train, y_train, X_test, y_test, classes: int, *, height: int = 600
) -> go.Figure:
    """The decision regions, animated over the training steps on the client.

    Parameters
    ----------
    frames : RegionFrames
        Rasters and boundary lines at F iterates.
    X_train, X_test : ndarray, shape (N_train, 2), (N_test, 2)
    y_train, y_test : ndarray, shape (N_train,), (N_test,)
    classes : int
    height : int

    Returns
    -------
    go.Figure
        Trace 0 the picture, trace 1 the boundaries, then the points. It shows the last
        frame; frame ``i`` (named by its step) replaces only the picture's ``source`` and
        the boundaries' ``x, y``, so each frame costs a few hundred bytes.
    """
    x_min, x_max, y_min, y_max = frames.bounds
    cells = frames.cells
    dx, dy = (x_max - x_min) / cells, (y_max - y_min) / cells
    images = region_images(frames, classes)
    last = len(images) - 1
    names = [str(int(step)) for step in frames.steps]

    def lines(index: int) -> dict:
        x, y = _lines_xy(frames.lines[index])
        return {"x": x, "y": y}

    # With an explicit increasing y range, Plotly draws the picture's first row at the
    # bottom (y0), which is where the raster's row 0 (smallest x2) belongs.
    picture = {"type": "image", "source": images[last], "x0": x_min + dx / 2, "dx": dx,
               "y0": y_min + dy / 2, "dy": dy, "zsmooth": "fast", "hoverinfo": "skip",
               "name": "regions"}
    boundary = {"type": "scatter", "mode": "lines", "name": "boundary", "hoverinfo": "skip",
                "line": {"color": LINE_COLOR, "width": 2.5}, **lines(last)}
    points = [trace.to_plotly_json() for trace in
              _points_traces(X_train, y_train, X_test, y_test, classes)]
    animate = {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
               "transition": {"duration": 0}}
    layout = {
        "sliders": [{
            "active": last,
            "currentvalue": {"prefix": "step ", "font": {"size": 15}},
            "pad": {"t": 46, "l": 130, "r": 10}, "len": 1.0, "x": 0.0,
            "steps": [{"label": name, "method": "animate", "args": [[name], animate]}
                      for name in names],
        }],
        "updatemenus": [{
            "type": "buttons", "direction": "left", "showactive": False,
            "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top", "pad": {"t": 74, "r": 6},
            "buttons": [
                {"label": "▶ Play", "method": "animate",
                 "args": [None, {"frame": {"duration": 110, "redraw": True},
                                 "fromcurrent": False, "transition": {"duration": 0}}]},
                {"label": "❚❚", "method": "animate",
                 "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False},
                                   "transition": {"duration": 0}}]},
            ],
        }],
    }
    figure = go.Figure(
        {
            "data": [picture, boundary, *points],
            "layout": layout,
            "frames": [{"name": name, "traces": [0, 1],
                        "data": [{"type": "image", "source": images[i]},
                                 {"type": "scatter", **lines(i)}]}
                       for i, name in enumerate(names)],
        },
    )
    base_layout(figure, height=height)
    _plane_axes(figure, frames.bounds)
    # No legend: the colours are the classes, and the page says filled = train, hollow = test.
    figure.update_layout(margin={"l": 50, "r": 20, "t": 12, "b": 40}, showlegend=False)
    return _no_template(figure)


def _no_template(figure: go.Figure) -> go.Figure:
    """Drop plotly.py's default template (7 kB per chart): Streamlit applies its own theme."""
    figure.layout.template = EMPTY_TEMPLATE
    return figure


def loss_curve_figure(runs, *, diverged: list | None = None, height: int = 600) -> go.Figure:
    """Training and test loss (top panel) and accuracy (bottom panel) against step.

    Parameters
    ----------
    runs : list of (str, Run)
        One or two labelled runs; the first is drawn in ``RUN_COLORS[0]``.
    diverged : list of (str, int), optional
        Label and step of each run that diverged, marked by a vertical line.
    height : int

    Returns
    -------
    go.Figure
        Per run: train loss (all steps, float64), test loss, train accuracy, test
        accuracy (at ``run.curve_steps``); test curves only when there is a test split.
    """
    figure = go.Figure()
    for index, (label, run) in enumerate(runs):
        colour = RUN_COLORS[index % len(RUN_COLORS)]
        prefix = f"{label}: " if len(runs) > 1 else ""
        steps = np.arange(run.train_loss.shape[0], dtype=np.int32)
        figure.add_trace(go.Scatter(
            x=steps, y=np.asarray(run.train_loss, dtype=np.float64), mode="lines",
            name=f"{prefix}train loss", line={"color": colour, "width": 2.5},
            hovertemplate="step %{x}<br>train loss %{y:.6g}<extra></extra>",
        ))
        if run.test_loss.size:
            figure.add_trace(go.Scatter(
                x=run.curve_steps.astype(np.int32), y=compact(run.test_loss), mode="lines",
                name=f"{prefix}test loss", line={"color": colour, "width": 2, "dash": "dash"},
                hovertemplate="step %{x}<br>test loss %{y:.4g}<extra></extra>",
            ))
        figure.add_trace(go.Scatter(
            x=run.curve_steps.astype(np.int32), y=compact(run.train_accuracy), mode="lines",
            name=f"{prefix}train accuracy", line={"color": colour, "width": 2.5},
            xaxis="x2", yaxis="y2", showlegend=False,
            hovertemplate="step %{x}<br>train accuracy %{y:.1%}<extra></extra>",
        ))
        if run.test_accuracy.size:
            figure.add_trace(go.Scatter(
                x=run.curve_steps.astype(np.int32), y=compact(run.test_accuracy), mode="lines",
                name=f"{prefix}test accuracy", xaxis="x2", yaxis="y2", showlegend=False,
                line={"color": colour, "width": 2, "dash": "dash"},
                hovertemplate="step %{x}<br>test accuracy %{y:.1%}<extra></extra>",
            ))
    base_layout(figure, height=height)
    figure.update_layout(
        xaxis={"domain": [0, 1], "anchor": "y", "showticklabels": False, "matches": "x2"},
        yaxis={"domain": [0.48, 1.0], "title": {"text": "loss"}, "rangemode": "tozero"},
        xaxis2={"domain": [0, 1], "anchor": "y2", "title": {"text": "step"}},
        yaxis2={"domain": [0.0, 0.36], "title": {"text": "accuracy"}, "range": [0, 1.04],
                "tickformat": ".0%"},
        margin={"l": 60, "r": 20, "t": 36, "b": 44},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0,
                "font": {"size": 13}},
        hovermode="x unified",
    )
    for label, step in diverged or []:
        figure.add_vline(x=step, line={"color": "#b91c1c", "dash": "dot", "width": 2})
        figure.add_annotation(
            x=step, y=1.0, yref="paper", text=f"{label} diverged at step {step}",
            showarrow=False, xanchor="right", yanchor="top",
            font={"color": "#b91c1c", "size": 13}, bgcolor="rgba(255,255,255,0.8)",
        )
    return _no_template(figure)


def _thin(path: np.ndarray, limit: int = MAX_PATH_POINTS) -> np.ndarray:
    """At most ``limit`` evenly spaced rows of ``path``, first and last kept."""
    if path.shape[0] <= limit:
        return path
    index = np.unique(np.round(np.linspace(0, path.shape[0] - 1, limit)).astype(np.int64))
    return path[index]


def landscape_figure(grid, paths, *, at_point=None, at_step: int | None = None,
                     height: int = 520) -> go.Figure:
    """Contours of the loss over two parameters, with optimiser paths on top.

    Parameters
    ----------
    grid : explorer.landscape.LandscapeGrid
        ``loss[i2, i1]`` over ``axis1`` (x) and ``axis2`` (y).
    paths : list of (str, ndarray (T, 2))
        Labelled paths of the two parameters, drawn in ``RUN_COLORS`` order.
    at_point : (float, float), optional
        Where the slice is taken (the first path at the chosen step), ringed.
    at_step : int, optional
        That step, for the ring's label.
    height : int
    """
    label1, label2 = grid.labels
    figure = go.Figure(go.Contour(
        x=compact(grid.axis1), y=compact(grid.axis2), z=compact(grid.loss),
        colorscale="Viridis", ncontours=22, name="loss",
        contours={"coloring": "heatmap", "showlines": True},
        line={"color": "rgba(255,255,255,0.35)", "width": 0.6},
        colorbar={"title": {"text": "loss", "side": "right"}, "thickness": 14, "len": 0.9},
        hovertemplate=(f"{label1}=%{{x:.3f}}<br>{label2}=%{{y:.3f}}<br>"
                       "loss %{z:.4g}<extra></extra>"),
    ))
    for index, (label, path) in enumerate(paths):
        colour = RUN_COLORS[index % len(RUN_COLORS)]
        halo = "white"
        shown = _thin(np.asarray(path))
        figure.add_trace(go.Scatter(
            x=compact(shown[:, 0]), y=compact(shown[:, 1]), mode="lines+markers", name=label,
            line={"color": halo, "width": 5}, marker={"size": 0.1}, hoverinfo="skip",
            showlegend=False,
        ))
        figure.add_trace(go.Scatter(
            x=compact(shown[:, 0]), y=compact(shown[:, 1]), mode="lines+markers", name=label,
            line={"color": colour, "width": 2.5}, marker={"size": 4, "color": colour},
            hovertemplate=f"{label}<br>{label1}=%{{x:.3f}}<br>{label2}=%{{y:.3f}}<extra></extra>",
        ))
        figure.add_trace(go.Scatter(
            x=compact(shown[[0, -1], 0]), y=compact(shown[[0, -1], 1]), mode="markers+text",
            text=["start", "end"], textposition="top center", showlegend=False,
            textfont={"color": "white", "size": 13},
            marker={"symbol": ["circle", "star"], "size": [11, 16], "color": colour,
                    "line": {"color": "white", "width": 1.5}},
            hoverinfo="skip", name=f"{label} start and end",
        ))
    if at_point is not None:
        figure.add_trace(go.Scatter(
            x=compact([at_point[0]]), y=compact([at_point[1]]), mode="markers",
            name=f"slice at step {at_step}",
            marker={"symbol": "circle-open", "size": 20, "color": "white", "line": {"width": 3}},
            hovertemplate=f"the other parameters are fixed at step {at_step}<extra></extra>",
        ))
    base_layout(figure, height=height)
    figure.update_xaxes(title_text=label1, range=[float(grid.axis1[0]), float(grid.axis1[-1])],
                        showgrid=False)
    figure.update_yaxes(title_text=label2, range=[float(grid.axis2[0]), float(grid.axis2[-1])],
                        showgrid=False)
    figure.update_layout(margin={"l": 60, "r": 10, "t": 36, "b": 44},
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0})
    return _no_template(figure)


def pulls_figure(pulls: Pulls, k: int, lines: np.ndarray, bounds, *,
                 max_arrows: int = MAX_ARROWS, height: int = 520) -> go.Figure:
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
    go.Figure
        Arrows are ``ARROW_SCALE * pull`` long, the same scale at every step and for the
        mean arrow: long arrows are the points that still pull hard.
    """
    points = pulls.points[:max_arrows]
    pull = pulls.pull[:max_arrows]
    labels = pulls.labels[:max_arrows]
    scale = ARROW_SCALE
    tips = points + scale * pull
    figure = go.Figure()
    x, y = _lines_xy(lines)
    figure.add_trace(go.Scatter(x=x, y=y, mode="lines", name="boundaries",
                                line={"color": "#9ca3af", "width": 2}, hoverinfo="skip"))
    for own, name, colour in ((True, f"points of class {k}", class_color(k)),
                              (False, "points of other classes", "#9ca3af")):
        mask = (labels == k) == own
        if not mask.any():
            continue
        segments = np.full((int(mask.sum()), 3, 2), np.nan)
        segments[:, 0] = points[mask]
        segments[:, 1] = tips[mask]
        flat = segments.reshape(-1, 2)
        figure.add_trace(go.Scatter(
            x=compact(flat[:, 0]), y=compact(flat[:, 1]), mode="lines", hoverinfo="skip",
            line={"color": colour, "width": 1.6}, legendgroup=name, showlegend=False,
        ))
        delta = tips[mask] - points[mask]
        angle = np.degrees(np.arctan2(delta[:, 0], delta[:, 1]))
        figure.add_trace(go.Scatter(
            x=compact(tips[mask, 0]), y=compact(tips[mask, 1]), mode="markers", name=name,
            legendgroup=name,
            marker={"symbol": "arrow", "size": 8, "angle": compact(angle), "color": colour},
            customdata=compact(np.column_stack([points[mask], pull[mask]])),
            hovertemplate=("x=(%{customdata[0]:.2f}, %{customdata[1]:.2f})<br>"
                           "pull=(%{customdata[2]:.3f}, %{customdata[3]:.3f})<extra></extra>"),
        ))
        figure.add_trace(go.Scatter(
            x=compact(points[mask, 0]), y=compact(points[mask, 1]), mode="markers",
            marker={"color": colour, "size": 5}, hoverinfo="skip", legendgroup=name,
            showlegend=False,
        ))
    mean_tip = scale * pulls.mean_pull
    figure.add_trace(go.Scatter(
        x=compact([0.0, mean_tip[0]]), y=compact([0.0, mean_tip[1]]),
        mode="lines+markers", name=f"mean pull on w{k} (x1, x2)",
        line={"color": LINE_COLOR, "width": 4},
        marker={"symbol": ["circle", "arrow"], "size": [6, 16], "angleref": "previous",
                "color": LINE_COLOR},
        hovertemplate=(f"mean pull on w{k}: ({pulls.mean_pull[0]:.4f}, "
                       f"{pulls.mean_pull[1]:.4f})<extra></extra>"),
    ))
    base_layout(figure, height=height)
    _plane_axes(figure, bounds)
    figure.update_layout(margin={"l": 50, "r": 10, "t": 36, "b": 44},
                         legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0,
                                 "font": {"size": 13}})
    return _no_template(figure)


def confusion_figure(matrix, *, title: str | None = None, height: int = 360) -> go.Figure:
    """Counts of true class (rows) against predicted class (columns), annotated.

    Parameters
    ----------
    matrix : array_like, shape (K, K)
        ``matrix[i, j]``: points of class i predicted as j.
    """
    matrix = np.asarray(matrix)
    k = matrix.shape[0]
    names = [f"{i}" for i in range(k)]
    top = max(int(matrix.max()), 1)
    figure = go.Figure(go.Heatmap(
        z=matrix.astype(np.int32), x=names, y=names, colorscale="Blues", zmin=0, zmax=top,
        showscale=False, text=matrix.astype(str), texttemplate="%{text}",
        textfont={"size": 18 if k <= 4 else 15},
        hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>", xgap=2, ygap=2,
    ))
    base_layout(figure, title=title, height=height)
    figure.update_xaxes(title_text="predicted class", side="bottom", showgrid=False)
    figure.update_yaxes(title_text="true class", autorange="reversed", showgrid=False,
                        scaleanchor="x", constrain="domain")
    return _no_template(figure)
