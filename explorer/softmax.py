"""Softmax, log-softmax and the softmax Jacobian (docs/math.md sections 2 and 3).

Pure numpy: nothing here knows about the app.
"""

from __future__ import annotations

import numpy as np

from explorer.numerics import log_softmax as stable_log_softmax
from explorer.validation import as_float_array, check_axis, positive_scalar


def _checked_logits(z, temperature, axis) -> tuple[np.ndarray, float, int]:
    logits = as_float_array(z, "z")
    if logits.ndim == 0:
        raise ValueError("z must have at least one dimension, got a scalar")
    t = positive_scalar(temperature, "temperature")
    ax = check_axis(axis, logits.ndim)
    if logits.shape[ax] == 0:
        raise ValueError(
            f"z must have at least one entry along axis {axis}, got shape {logits.shape}"
        )
    return logits, t, ax


def _shifted_scaled(z, temperature, axis) -> tuple[np.ndarray, int]:
    """``(z - max(z)) / T`` along ``axis``: every entry <= 0, the largest exactly 0."""
    logits, t, ax = _checked_logits(z, temperature, axis)
    # Subtracting the max leaves softmax unchanged and keeps exp() <= 1, so it cannot overflow.
    # Shifting before dividing by T also keeps z / T from overflowing for a tiny T. Only a
    # log-probability below -1.8e308 (not representable) can still become -inf (p = 0 exactly).
    with np.errstate(over="ignore"):
        shifted = logits - logits.max(axis=ax, keepdims=True)
        shifted /= t
    return shifted, ax


def softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax ``exp(z/T) / sum exp(z/T)`` along ``axis``.

    Parameters
    ----------
    z : array_like, shape (..., K, ...)
        Finite logits.
    temperature : float, default 1.0
        T > 0. Large T flattens the distribution, small T sharpens it.
    axis : int, default -1
        The axis of the K classes.

    Returns
    -------
    ndarray, same shape as ``z``
        Probabilities: non-negative, summing to 1 along ``axis``.
    """
    shifted, ax = _shifted_scaled(z, temperature, axis)
    exps = np.exp(shifted, out=shifted)
    exps /= exps.sum(axis=ax, keepdims=True)
    return exps


def log_softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Stable ``log(softmax(z, T))``: :func:`explorer.numerics.log_softmax` of ``(z - max z) / T``.

    Parameters
    ----------
    z : array_like, shape (..., K, ...)
    temperature : float, default 1.0
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z``
        Log-probabilities, finite even where the probability underflows to 0.
    """
    shifted, ax = _shifted_scaled(z, temperature, axis)
    return stable_log_softmax(shifted, ax)


def softmax_naive(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """The textbook softmax without the max shift: unstable, kept for the demonstration.

    ``exp(1000)`` overflows to inf and inf/inf gives nan; the stable :func:`softmax`
    returns finite probabilities for the same input.

    Parameters
    ----------
    z : array_like, shape (..., K, ...)
    temperature : float, default 1.0
    axis : int, default -1

    Returns
    -------
    ndarray, same shape as ``z`` (may contain nan or inf)
    """
    logits, t, ax = _checked_logits(z, temperature, axis)
    with np.errstate(over="ignore", invalid="ignore"):
        exps = np.exp(logits / t)
        return exps / exps.sum(axis=ax, keepdims=True)


def softmax_jacobian(z, temperature: float = 1.0) -> np.ndarray:
    """Jacobian of the softmax: ``J[i, j] = dp_i/dz_j = p_i (delta_ij - p_j) / T``.

    Parameters
    ----------
    z : array_like, shape (K,) or (N, K)
        Logits of one example or of a batch.
    temperature : float, default 1.0

    Returns
    -------
    ndarray, shape (K, K) or (N, K, K)
        ``(diag(p) - p p^T) / T`` for each example: symmetric, rows and columns summing
        to 0, rank K - 1.
    """
    logits = as_float_array(z, "z", ndim=(1, 2))
    t = positive_scalar(temperature, "temperature")
    p = softmax(logits, t)
    jac = -p[..., :, None] * p[..., None, :]
    k = np.arange(p.shape[-1])
    jac[..., k, k] += p
    return jac / t
