"""The numerical kernel every other module builds on: log-sum-exp and the feature map.

- :func:`shifted_exp`: ``exp(z - max z)`` and its sum along an axis, the shared core of
  the softmax and of log-sum-exp (docs/math.md section 2).
- :func:`logsumexp` and :func:`log_softmax`: their stable forms.
- :func:`quadratic_features`, :func:`feature_map` and :func:`feature_count`: the model's
  inputs, the points ``(x1, x2)`` alone or with their degree-2 terms, and how many.

The kernels take checked float arrays (callers check their arguments once, at the
boundary of the library); :func:`feature_map` checks its points itself. Nothing here
knows about the app.
"""

from __future__ import annotations

import numpy as np

from explorer.validation import as_float_array

FEATURE_KINDS: tuple[str, ...] = ("raw", "quadratic")
"""The feature maps the app offers: the points themselves, or with their quadratic terms."""


def shifted_exp(
    z: np.ndarray, axis: int = -1, *, overwrite: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``exp(z - max(z))`` along ``axis``, and the two numbers that undo the shift.

    Subtracting the maximum keeps every exponent <= 0, so ``exp`` cannot overflow, and
    the largest entry becomes exactly 1, so the sum cannot underflow to 0.

    Parameters
    ----------
    z : ndarray, shape (..., K, ...), float
        Finite scores with at least one entry along ``axis``.
    axis : int, default -1
        The axis of the K classes.
    overwrite : bool, default False
        Compute in place in ``z`` (which must then be a writable float array): saves a
        copy of the largest array in the inner loops.

    Returns
    -------
    top : ndarray, shape of ``z`` with ``axis`` of length 1
        ``max(z)`` along ``axis``.
    exps : ndarray, same shape as ``z``
        ``exp(z - top)``; ``z`` itself when ``overwrite``.
    sums : ndarray, shape of ``top``
        ``sum(exps)`` along ``axis``, >= 1. ``log(sums) + top`` is the log-sum-exp and
        ``exps / sums`` the softmax.
    """
    top = z.max(axis=axis, keepdims=True)
    exps = np.subtract(z, top, out=z if overwrite else None)
    np.exp(exps, out=exps)
    return top, exps, exps.sum(axis=axis, keepdims=True)


def logsumexp(z: np.ndarray, axis: int = -1, *, keepdims: bool = False) -> np.ndarray:
    """Stable ``log(sum(exp(z)))`` along ``axis``, computed as ``max + log(sum(exp(z - max)))``.

    Parameters
    ----------
    z : ndarray, shape (..., K, ...), float
    axis : int, default -1
    keepdims : bool, default False
        Keep ``axis`` with length 1, so the result broadcasts against ``z``.

    Returns
    -------
    ndarray, shape of ``z`` without ``axis`` (or with length 1 there)
        ``-inf`` where ``axis`` has no entries (the log of an empty sum).
    """
    z = np.asarray(z, dtype=np.float64)
    if z.shape[axis] == 0:
        shape = list(z.shape)
        shape[axis] = 1
        empty = np.full(shape, -np.inf)
        return empty if keepdims else np.squeeze(empty, axis=axis)
    top, _, sums = shifted_exp(z, axis)
    lse = np.log(sums, out=sums)
    lse += top
    return lse if keepdims else np.squeeze(lse, axis=axis)


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """Stable log-probabilities ``z - logsumexp(z)`` along ``axis``.

    Never ``log(softmax(z))``: a probability that underflows to 0 would give ``-inf``,
    while ``z - logsumexp(z)`` stays finite.

    Parameters
    ----------
    z : ndarray, shape (..., K, ...), float
        Finite scores with at least one entry along ``axis``.
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z``
    """
    return z - logsumexp(z, axis, keepdims=True)


def quadratic_features(X: np.ndarray) -> np.ndarray:
    """The points with their degree-2 monomials appended.

    A linear classifier on these features draws conic-section boundaries in the plane:
    ``x1*x2`` separates xor, ``x1^2 + x2^2`` separates circles.

    Parameters
    ----------
    X : ndarray, shape (N, 2), float

    Returns
    -------
    ndarray, shape (N, 5), float64, C-contiguous
        Columns ``[x1, x2, x1^2, x2^2, x1*x2]``.
    """
    x1, x2 = X[:, 0], X[:, 1]
    return np.column_stack([x1, x2, x1 * x1, x2 * x2, x1 * x2])


def feature_map(X, kind: str) -> np.ndarray:
    """The model's inputs for points ``X``: the points (``raw``) or :func:`quadratic_features`.

    Parameters
    ----------
    X : array_like, shape (N, 2)
        Finite points (checked for the quadratic map).
    kind : {"raw", "quadratic"}
        One of :data:`FEATURE_KINDS`.

    Returns
    -------
    ndarray, shape (N, D), float64, C-contiguous
        D = 2 (``x1, x2``) or 5 (``x1, x2, x1^2, x2^2, x1*x2``).
    """
    if kind not in FEATURE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FEATURE_KINDS)}, got {kind!r}")
    if kind == "raw":
        return np.ascontiguousarray(X, dtype=np.float64)
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), got {X.shape}")
    return quadratic_features(X)


def feature_count(kind: str) -> int:
    """D, the number of model inputs :func:`feature_map` gives for ``kind`` (2 or 5)."""
    return feature_map(np.zeros((1, 2)), kind).shape[1]
