"""The loss over a two-parameter slice of a linear softmax classifier, on a grid.

Two coordinates of the parameters are varied over a square grid while every other
weight and bias stays fixed. A coordinate is named as in :mod:`explorer.param_names`:
a :class:`~explorer.param_names.Param`, a tuple such as ``("W", 0, 1)`` / ``("b", 2)``
or a string such as ``"W[0,1]"`` / ``"b[2]"``.

The grid follows the plotly contour convention: ``loss[i2, i1]`` is the loss at
``(axis1[i1], axis2[i2])``, so rows go with the *second* parameter (the y axis) and
columns with the first (the x axis).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.losses import check_problem, loss_and_grad_unchecked
from explorer.numerics import logsumexp
from explorer.param_names import Param, check_param_pair, param_label
from explorer.validation import as_float_array, positive_scalar

MAX_RESOLUTION = 400
# Cells x examples per chunk: each (cells, N) float64 temporary is ~1 MB, small enough to
# stay in cache (measured 2-3x faster than 8 MB chunks) and to bound memory for any N.
CHUNK_ELEMENTS = 131_072

def _value(W, b, param: Param) -> float:
    return float(W[param.index, param.col] if param.array == "W" else b[param.index])


def _substituted(W, b, params, values) -> tuple[np.ndarray, np.ndarray]:
    """Copies of W and b with the chosen coordinates set to ``values``."""
    W = W.copy()
    b = b.copy()
    for param, value in zip(params, values, strict=True):
        if param.array == "W":
            W[param.index, param.col] = value
        else:
            b[param.index] = value
    return W, b


@dataclass(frozen=True, eq=False)
class LandscapeGrid:
    """The loss over a square grid of two parameters (arrays are read-only).

    Attributes
    ----------
    params : (Param, Param)
        The varied coordinates: the first along ``axis1`` (x), the second along ``axis2`` (y).
    axis1 : ndarray, shape (R,)
        Values of the first parameter, increasing.
    axis2 : ndarray, shape (R,)
        Values of the second parameter, increasing.
    loss : ndarray, shape (R, R)
        ``loss[i2, i1]`` is the regularised loss at ``(axis1[i1], axis2[i2])``.
    center : (float, float)
        The grid's centre in parameter space.
    center_loss : float
        The loss at the centre (evaluated directly, not read off the grid).
    """

    params: tuple[Param, Param]
    axis1: np.ndarray
    axis2: np.ndarray
    loss: np.ndarray
    center: tuple[float, float]
    center_loss: float

    @property
    def labels(self) -> tuple[str, str]:
        """Display names of the two parameters, e.g. ``("W[0,0]", "b[1]")``."""
        return param_label(self.params[0]), param_label(self.params[1])


def _logaddexp_into(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``log(exp(a) + exp(b))`` elementwise, written into ``a`` (C, N); ``b`` broadcasts.

    Computed as ``max + log1p(exp(min - max))``: the exponent is <= 0, so nothing
    overflows (``b = -inf``, an empty sum, gives ``a`` back). About ten times faster
    than ``np.logaddexp``, whose elementwise loop numpy does not vectorise.
    """
    low = np.minimum(a, b)
    np.maximum(a, b, out=a)
    low -= a
    np.exp(low, out=low)
    np.log1p(low, out=low)
    a += low
    return a


def _mean_logsumexp(base_fixed, columns, deltas1, deltas2) -> np.ndarray:
    """Mean over examples of the log-sum-exp of every row's logits, for a chunk of cells.

    Parameters
    ----------
    base_fixed : ndarray, shape (N,)
        Log-sum-exp of the logits of the classes that no varied parameter touches
        (``-inf`` when there are none).
    columns : list of (z, u1, u2)
        One entry per class touched by a varied parameter: its base logits ``z`` (N,)
        and how they move with each parameter, ``u1`` and ``u2`` (N,) or None.
    deltas1, deltas2 : ndarray, shape (C,)
        Offsets of the two parameters from their base values, one per cell.

    Returns
    -------
    ndarray, shape (C,)
    """
    total = None
    for z, u1, u2 in columns:
        shifts = [(d, u) for d, u in ((deltas1, u1), (deltas2, u2)) if u is not None]
        logits = np.multiply(shifts[0][0][:, None], shifts[0][1])
        logits += z
        for d, u in shifts[1:]:
            logits += d[:, None] * u
        total = logits if total is None else _logaddexp_into(total, logits)
    total = _logaddexp_into(total, base_fixed)
    return total.sum(axis=1) / base_fixed.shape[0]


def _grid_loss(W, b, X, labels, reg, pair, axis1, axis2) -> np.ndarray:
    """The regularised loss at every cell ``(axis1[i1], axis2[i2])``, shape (R2, R1).

    The logits of a cell are the base logits plus ``delta * X[:, row]`` (``delta`` for a
    bias) in the varied parameter's class column. The true-class term and the penalty
    are then linear or quadratic in the offsets and are formed on the grid directly;
    only the log-sum-exp needs every (cell, example) pair, computed in chunks of cells.
    """
    n = X.shape[0]
    k = W.shape[1]
    base_values = np.array([_value(W, b, p) for p in pair])
    deltas1 = axis1 - base_values[0]
    deltas2 = axis2 - base_values[1]
    logits = X @ W + b
    # Direction in logit space of each parameter: column `col`, moving by X[:, row] (or 1).
    moves = [(p.col, X[:, p.index]) if p.array == "W" else (p.index, np.ones(n)) for p in pair]
    touched = sorted({moves[0][0], moves[1][0]})
    fixed = [c for c in range(k) if c not in touched]
    base_fixed = logsumexp(logits[:, fixed], axis=1)
    columns = [
        (
            logits[:, c],
            moves[0][1] if moves[0][0] == c else None,
            moves[1][1] if moves[1][0] == c else None,
        )
        for c in touched
    ]

    # The true-class logit is linear in the offsets: mean_n z[n, y_n] + d1*t1 + d2*t2.
    true_mean = logits[np.arange(n), labels].mean()
    slope1, slope2 = (float(np.mean(u * (labels == c))) for c, u in moves)
    loss = -(true_mean + slope1 * deltas1[None, :] + slope2 * deltas2[:, None])

    if reg:
        W_rest, _ = _substituted(W, b, pair, (0.0, 0.0))
        loss += 0.5 * reg * float(np.sum(W_rest * W_rest))
        if pair[0].array == "W":
            loss += 0.5 * reg * axis1[None, :] ** 2
        if pair[1].array == "W":
            loss += 0.5 * reg * axis2[:, None] ** 2

    rows, cols = loss.shape
    flat1 = np.tile(deltas1, rows)  # cell (i2, i1) in row-major order -> deltas1[i1]
    flat2 = np.repeat(deltas2, cols)  # ... -> deltas2[i2]
    lse = np.empty(rows * cols)
    chunk = max(1, CHUNK_ELEMENTS // n)
    for start in range(0, lse.shape[0], chunk):
        stop = min(lse.shape[0], start + chunk)
        lse[start:stop] = _mean_logsumexp(base_fixed, columns, flat1[start:stop], flat2[start:stop])
    loss += lse.reshape(rows, cols)
    return loss


def landscape(
    W,
    b,
    X,
    y,
    *,
    params=(("W", 0, 0), ("W", 1, 0)),
    center=None,
    span: float = 3.0,
    resolution: int = 81,
    reg: float = 0.0,
) -> LandscapeGrid:
    """Regularised cross-entropy over a grid of two parameters, all others fixed at (W, b).

    Vectorised over the grid: the logits of every cell are the base logits ``X @ W + b``
    plus ``delta * X[:, row]`` in column ``col`` for a weight ``W[row, col]`` (plus
    ``delta`` for a bias ``b[k]``), evaluated in chunks of cells so temporaries stay small.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Integer labels in ``0..K-1``.
    params : pair of Param, tuple or str, default (W[0,0], W[1,0])
        The two distinct coordinates to vary: x axis first, y axis second.
    center : (float, float), optional
        Centre of the grid; default: the current values of the two coordinates in (W, b).
    span : float, default 3.0
        Half-width: each axis runs over ``center ± span``.
    resolution : int, default 81
        R, points per axis, 2..400 (odd R puts a grid point at the centre).
    reg : float, default 0.0
        L2 strength on W (``0.5 * reg * sum(W**2)``; bias not regularised).

    Returns
    -------
    LandscapeGrid
        ``loss`` has shape (R, R), indexed ``[i2, i1]``.
    """
    W, b, X, labels, reg = check_problem(W, b, X, y, reg)
    pair = check_param_pair(params, W.shape)
    span = positive_scalar(span, "span")
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int | np.integer)
        or not 2 <= resolution <= MAX_RESOLUTION
    ):
        raise ValueError(
            f"resolution must be an integer in 2..{MAX_RESOLUTION}, got {resolution!r}"
        )
    base_values = np.array([_value(W, b, p) for p in pair])
    if center is None:
        centre = base_values
    else:
        centre = as_float_array(center, "center", ndim=1)
        if centre.shape != (2,):
            raise ValueError(f"center must hold two numbers, got shape {centre.shape}")

    resolution = int(resolution)
    # Symmetric offsets, exactly 0 in the middle when the resolution is odd.
    with np.errstate(over="ignore", invalid="ignore"):
        offsets = (np.arange(resolution) - (resolution - 1) / 2) * (2 * span / (resolution - 1))
        axis1 = centre[0] + offsets
        axis2 = centre[1] + offsets
    if not (np.all(np.isfinite(axis1)) and np.all(np.isfinite(axis2))):
        raise ValueError(f"span is too large: the grid leaves the finite numbers, got {span!r}")
    with np.errstate(all="ignore"):
        loss = _grid_loss(W, b, X, labels, reg, pair, axis1, axis2)
    if not np.all(np.isfinite(loss)):
        raise ValueError(f"span is too large: the loss overflows on the grid, got {span!r}")

    W_c, b_c = _substituted(W, b, pair, centre)
    center_loss = loss_and_grad_unchecked(W_c, b_c, X, labels, reg)[0]
    for array in (axis1, axis2, loss):
        array.setflags(write=False)
    return LandscapeGrid(
        params=pair,
        axis1=axis1,
        axis2=axis2,
        loss=loss,
        center=(float(centre[0]), float(centre[1])),
        center_loss=float(center_loss),
    )


def project_path(trajectory_W, trajectory_b, params) -> np.ndarray:
    """The two chosen coordinates along a training trajectory.

    Parameters
    ----------
    trajectory_W : array_like, shape (T, D, K)
        Weights at each iterate (e.g. ``Trajectory.W``).
    trajectory_b : array_like, shape (T, K)
        Biases at each iterate (e.g. ``Trajectory.b``).
    params : pair of Param, tuple or str
        The two coordinates, as for :func:`landscape`.

    Returns
    -------
    ndarray, shape (T, 2)
        Column 0 is the first parameter, column 1 the second.
    """
    Ws = as_float_array(trajectory_W, "trajectory_W", ndim=3)
    bs = as_float_array(trajectory_b, "trajectory_b", ndim=2)
    t, d, k = Ws.shape
    if bs.shape != (t, k):
        raise ValueError(
            f"trajectory_b must have shape ({t}, {k}) to match trajectory_W, got {bs.shape}"
        )
    pair = check_param_pair(params, (d, k))
    path = np.empty((t, 2))
    for column, param in enumerate(pair):
        if param.array == "W":
            path[:, column] = Ws[:, param.index, param.col]
        else:
            path[:, column] = bs[:, param.index]
    return path
