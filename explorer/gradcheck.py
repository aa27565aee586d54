"""Numerical gradients by central differences, and the relative error (docs/math.md section 8)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from explorer.validation import as_float_array, positive_scalar


def numerical_gradient(f: Callable[[np.ndarray], float], x, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient ``(f(x + h e_k) - f(x - h e_k)) / (2h)`` of a scalar function.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a float. It receives a fresh copy each call.
    x : array_like, any shape
        The point at which to differentiate.
    h : float, default 1e-5
        The step; about 1e-5 balances truncation and rounding error on float64.

    Returns
    -------
    ndarray, same shape as ``x``
    """
    if not callable(f):
        raise ValueError(f"f must be callable, got {type(f).__name__}")
    point = as_float_array(x, "x")
    step = positive_scalar(h, "h")
    grad = np.empty_like(point)
    flat = point.reshape(-1)
    grad_flat = grad.reshape(-1)
    for k in range(flat.size):
        plus = flat.copy()
        plus[k] += step
        minus = flat.copy()
        minus[k] -= step
        grad_flat[k] = (float(f(plus.reshape(point.shape))) - float(f(minus.reshape(point.shape))))
        grad_flat[k] /= 2.0 * step
    return grad


def relative_error(a, n) -> float:
    """Largest elementwise relative error ``|a - n| / max(1e-12, |a| + |n|)``.

    Parameters
    ----------
    a, n : array_like, same shape
        Typically an analytic and a numerical gradient.

    Returns
    -------
    float
        Below about 1e-7 means the two agree on float64.
    """
    first = as_float_array(a, "a")
    second = as_float_array(n, "n")
    if first.shape != second.shape:
        raise ValueError(f"a and n must have the same shape, got {first.shape} and {second.shape}")
    if first.size == 0:
        return 0.0
    denominator = np.maximum(1e-12, np.abs(first) + np.abs(second))
    return float(np.max(np.abs(first - second) / denominator))
