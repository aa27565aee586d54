"""Decision boundaries of a linear softmax classifier in the plane, as polylines.

The predicted class at a point ``x`` is ``argmax_k s_k(x)`` with scores
``s(x) = phi(x) @ W + b``, where ``phi`` is the feature map: the raw point ``(x1, x2)``
or the point with its quadratic terms ``(x1, x2, x1^2, x2^2, x1*x2)``. The boundary
between the regions of classes ``i`` and ``j`` is the part of the curve ``s_i = s_j``
where ``i`` and ``j`` are the two best classes.

- Raw features: every score difference is linear, so each boundary is a straight
  segment, computed exactly (clip the line to the plane, then to where no third class
  wins).
- Quadratic features: the curves are conics; they are traced by marching squares on a
  grid and joined into polylines.

Polylines come back as one ``(M, 2)`` array of points with a row of NaN between
polylines, the form Plotly draws as separate lines in a single trace.
"""

from __future__ import annotations

import numpy as np

from explorer.datasets import add_quadratic_features
from explorer.softmax import softmax

FEATURE_KINDS = ("raw", "quadratic")

#: Cells per side of the marching-squares grid for curved boundaries.
CONTOUR_CELLS = 48
#: Polyline points closer than this fraction of a cell to their neighbours' chord are dropped.
SIMPLIFY_TOLERANCE = 0.03


def feature_map(X, kind: str) -> np.ndarray:
    """The model's inputs for points ``X``.

    Parameters
    ----------
    X : array_like, shape (N, 2)
    kind : {"raw", "quadratic"}

    Returns
    -------
    ndarray, shape (N, D), float64, C-contiguous
        D = 2 (``x1, x2``) or 5 (``x1, x2, x1^2, x2^2, x1*x2``).
    """
    if kind not in FEATURE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FEATURE_KINDS)}, got {kind!r}")
    X = np.asarray(X, dtype=np.float64)
    if kind == "raw":
        return np.ascontiguousarray(X)
    return np.ascontiguousarray(add_quadratic_features(X))


def boundary_lines(W, b, kind: str, bounds) -> np.ndarray:
    """The decision boundaries of ``(W, b)`` inside the rectangle ``bounds``.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    kind : {"raw", "quadratic"}
        The feature map (D = 2 or 5).
    bounds : (x_min, x_max, y_min, y_max)

    Returns
    -------
    ndarray, shape (M, 2)
        Polyline points, NaN rows between polylines; shape (0, 2) when one class wins
        everywhere.
    """
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if kind == "raw":
        return _join_with_nan(_linear_segments(W, b, bounds))
    return _join_with_nan(_contour_polylines(W, b, bounds))


def _join_with_nan(polylines: list[np.ndarray]) -> np.ndarray:
    if not polylines:
        return np.empty((0, 2))
    parts = []
    for index, line in enumerate(polylines):
        if index:
            parts.append(np.full((1, 2), np.nan))
        parts.append(line)
    return np.concatenate(parts)


def _linear_segments(W, b, bounds) -> list[np.ndarray]:
    """Exact boundary segments of a classifier on raw features (D = 2)."""
    x_min, x_max, y_min, y_max = bounds
    k = W.shape[1]
    segments = []
    for i in range(k):
        for j in range(i + 1, k):
            normal = W[:, i] - W[:, j]
            offset = b[i] - b[j]
            norm2 = float(normal @ normal)
            if norm2 < 1e-18:
                continue  # parallel scores: the two classes never tie along a line
            # The line normal . x + offset = 0 as origin + t * direction, |direction| = 1.
            origin = -offset * normal / norm2
            direction = np.array([-normal[1], normal[0]]) / np.sqrt(norm2)
            low, high = -np.inf, np.inf
            # Inside the box, and where s_i >= s_m for every other class m: each condition
            # is alpha + beta * t >= 0, which cuts the interval of t on one side.
            conditions = [
                (origin[0] - x_min, direction[0]), (x_max - origin[0], -direction[0]),
                (origin[1] - y_min, direction[1]), (y_max - origin[1], -direction[1]),
            ]
            for m in range(k):
                if m not in (i, j):
                    gap = W[:, i] - W[:, m]
                    conditions.append((gap @ origin + b[i] - b[m], gap @ direction))
            for alpha, beta in conditions:
                if abs(beta) < 1e-15:
                    if alpha < 0:
                        low, high = 1.0, 0.0
                        break
                elif beta > 0:
                    low = max(low, -alpha / beta)
                else:
                    high = min(high, -alpha / beta)
            if high > low:
                segments.append(np.array([origin + low * direction, origin + high * direction]))
    return segments


def _contour_polylines(W, b, bounds, cells: int = CONTOUR_CELLS) -> list[np.ndarray]:
    """Boundary polylines of a classifier on quadratic features, by marching squares.

    The winning class is evaluated at the corners of a grid. Where it changes along a
    grid edge, from class i at one end to j at the other, the boundary crosses that edge
    where ``s_i - s_j`` (positive at one end, negative at the other) is zero, found by
    linear interpolation. A cell crossed twice holds one boundary segment; a cell crossed
    three or four times holds a junction of regions, joined at the crossings' centroid.
    """
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, cells + 1)
    ys = np.linspace(y_min, y_max, cells + 1)
    gx, gy = np.meshgrid(xs, ys)  # corners, indexed [row (y), col (x)]
    corners = np.column_stack([gx.ravel(), gy.ravel()])
    scores = (feature_map(corners, "quadratic") @ W + b).reshape(cells + 1, cells + 1, -1)
    winner = scores.argmax(axis=2)

    # Horizontal edges (r, c)-(r, c+1) and vertical edges (r, c)-(r+1, c).
    th = _crossings(scores[:, :-1], scores[:, 1:], winner[:, :-1], winner[:, 1:])
    tv = _crossings(scores[:-1, :], scores[1:, :], winner[:-1, :], winner[1:, :])
    hx = xs[:-1] + th * (xs[1:] - xs[:-1])
    hy = np.where(np.isnan(th), np.nan, ys[:, None])
    vx = np.where(np.isnan(tv), np.nan, xs[None, :])
    vy = ys[:-1, None] + tv * (ys[1:, None] - ys[:-1, None])
    h_ids = np.arange((cells + 1) * cells).reshape(cells + 1, cells)
    v_ids = (cells + 1) * cells + np.arange(cells * (cells + 1)).reshape(cells, cells + 1)

    # The four edges of every cell: bottom, right, top, left.
    edge_x = np.stack([hx[:-1, :], vx[:, 1:], hx[1:, :], vx[:, :-1]], axis=-1).reshape(-1, 4)
    edge_y = np.stack([hy[:-1, :], vy[:, 1:], hy[1:, :], vy[:, :-1]], axis=-1).reshape(-1, 4)
    edge_id = np.stack([h_ids[:-1, :], v_ids[:, 1:], h_ids[1:, :], v_ids[:, :-1]], axis=-1)
    edge_id = edge_id.reshape(-1, 4)
    crossed = ~np.isnan(edge_x)
    count = crossed.sum(axis=1)

    pieces = []
    two = np.flatnonzero(count == 2)
    if two.size:
        first = np.argmax(crossed[two], axis=1)
        second = 3 - np.argmax(crossed[two][:, ::-1], axis=1)
        pieces.append(np.column_stack([
            edge_x[two, first], edge_y[two, first], edge_x[two, second], edge_y[two, second],
            edge_id[two, first], edge_id[two, second],
        ]))
    junction_base = int(v_ids.max()) + 1
    for cell in np.flatnonzero(count >= 3):
        sides = np.flatnonzero(crossed[cell])
        centre = edge_x[cell, sides].mean(), edge_y[cell, sides].mean()
        for side in sides:
            pieces.append(np.array([[
                edge_x[cell, side], edge_y[cell, side], centre[0], centre[1],
                edge_id[cell, side], junction_base + cell,
            ]]))
    if not pieces:
        return []
    tolerance = SIMPLIFY_TOLERANCE * (x_max - x_min) / cells
    return [_simplify(line, tolerance) for line in _chain(np.concatenate(pieces))]


def _crossings(a_scores, b_scores, a_win, b_win) -> np.ndarray:
    """Where along each grid edge (0 at end a, 1 at end b) the winning class changes.

    Parameters
    ----------
    a_scores, b_scores : ndarray, shape (..., K)
        Scores at the two ends of each edge.
    a_win, b_win : ndarray, shape (...)
        The winning class at each end.

    Returns
    -------
    ndarray, shape (...)
        The zero of the linear interpolation of ``s_i - s_j`` (i winning at a, j at b),
        NaN where both ends have the same winner.
    """
    def gap(scores):
        return (np.take_along_axis(scores, a_win[..., None], -1)
                - np.take_along_axis(scores, b_win[..., None], -1))[..., 0]

    f_a, f_b = gap(a_scores), gap(b_scores)  # f_a >= 0 >= f_b
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip(f_a / (f_a - f_b), 0.0, 1.0)
    return np.where(a_win != b_win, np.nan_to_num(t, nan=0.5), np.nan)


def _simplify(line: np.ndarray, tolerance: float, passes: int = 4) -> np.ndarray:
    """Drop polyline points that lie within ``tolerance`` of the chord of their neighbours.

    Each pass removes such points at alternate positions only (so no two neighbours go
    at once); the ends always stay. The error stays below ``passes * tolerance``.
    """
    for parity in range(passes):
        if line.shape[0] <= 2:
            break
        before, point, after = line[:-2], line[1:-1], line[2:]
        chord = after - before
        offset = point - before
        length = np.hypot(chord[:, 0], chord[:, 1])
        cross = np.abs(chord[:, 0] * offset[:, 1] - chord[:, 1] * offset[:, 0])
        distance = np.where(length > 0, cross / np.where(length > 0, length, 1.0),
                            np.hypot(offset[:, 0], offset[:, 1]))
        drop = (distance < tolerance) & (np.arange(distance.size) % 2 == parity % 2)
        if not drop.any():
            continue
        keep = np.ones(line.shape[0], dtype=bool)
        keep[1:-1] = ~drop
        line = line[keep]
    return line


def _chain(segments: np.ndarray) -> list[np.ndarray]:
    """Join segments that share an end id into polylines, each of shape (P, 2).

    ``segments`` has rows ``(x_a, y_a, x_b, y_b, id_a, id_b)``; ends with the same id are
    the same point.
    """
    ends = segments[:, 4:6].astype(np.int64).tolist()
    points = {}
    touching: dict[int, list[int]] = {}
    for index, (a, c) in enumerate(ends):
        touching.setdefault(a, []).append(index)
        touching.setdefault(c, []).append(index)
        points[a] = (segments[index, 0], segments[index, 1])
        points[c] = (segments[index, 2], segments[index, 3])
    used = [False] * len(ends)

    def walk(edge: int) -> list[int]:
        """End ids met following unused segments from ``edge`` onwards."""
        edges = [edge]
        while True:
            following = next((s for s in touching[edge] if not used[s]), None)
            if following is None:
                return edges
            used[following] = True
            a, c = ends[following]
            edge = c if a == edge else a
            edges.append(edge)

    polylines = []
    for start, (a, c) in enumerate(ends):
        if used[start]:
            continue
        used[start] = True
        forward = walk(c)
        backward = walk(a)
        polylines.append(np.array([points[e] for e in backward[::-1] + forward]))
    return polylines


# ---------------------------------------------------------------------------------------
# Class probabilities on a grid (the live region plane draws these in the browser)


def grid_centres(x_min: float, x_max: float, y_min: float, y_max: float, nx: int, ny: int):
    """The centres of the ``ny`` x ``nx`` cells of a grid over a rectangle.

    Column ``c`` is at ``x_min + (c + 0.5) * ((x_max - x_min) / nx)``; row ``r`` counts
    from the top: ``y_max - (r + 0.5) * ((y_max - y_min) / ny)`` (row 0 is the top row of
    a picture). The same arithmetic as ``gridCentres`` in explorer/web/softmax_math.js,
    so both give the same points bit for bit.

    Returns
    -------
    xs : ndarray, shape (nx,)
    ys : ndarray, shape (ny,)
    """
    xs = x_min + (np.arange(nx) + 0.5) * ((x_max - x_min) / nx)
    ys = y_max - (np.arange(ny) + 0.5) * ((y_max - y_min) / ny)
    return xs, ys


def grid_probabilities(W, b, bounds, nx: int, ny: int, kind: str = "raw") -> np.ndarray:
    """``softmax(phi(x) @ W + b)`` at every cell centre of :func:`grid_centres`.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    bounds : (x_min, x_max, y_min, y_max)
    nx, ny : int
        Cells along x1 and along x2.
    kind : {"raw", "quadratic"}

    Returns
    -------
    ndarray, shape (ny, nx, K)
        ``[r, c, k]`` is p_k at row ``r`` (from the top) and column ``c`` (from the left):
        raveled, the layout of ``gridProbabilities`` in explorer/web/softmax_math.js.
    """
    xs, ys = grid_centres(*bounds, nx, ny)
    gx, gy = np.meshgrid(xs, ys)  # [row, col]
    points = np.column_stack([gx.ravel(), gy.ravel()])
    scores = feature_map(points, kind) @ np.asarray(W, dtype=np.float64)
    scores += np.asarray(b, dtype=np.float64)
    return softmax(scores).reshape(ny, nx, -1)
