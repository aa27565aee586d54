"""How each class probability of one example moves with each weight vector (docs/math.md
section 6): the derivative behind /weights' ``dp_j/dW`` panel, and the classic mistake.

Not a loss: the derivative of ``p = softmax(x @ W + b)`` itself. Shapes: ``W`` (D, K) with
column ``i`` the weight vector ``w_i``, ``b`` (K,), one example ``x`` (D,).
"""

from __future__ import annotations

import numpy as np

from explorer.softmax import softmax
from explorer.validation import as_float_array


def _example_probabilities(W, b, x) -> tuple[np.ndarray, np.ndarray]:
    """Check one example's arguments; return ``p = softmax(x @ W + b)`` (K,) and ``x`` (D,)."""
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    x = as_float_array(x, "x", ndim=1)
    d, k = W.shape
    if k < 1:
        raise ValueError("W must have at least one column (one per class)")
    if x.shape != (d,):
        raise ValueError(f"x must have shape ({d},) to match W, got {x.shape}")
    if b.shape != (k,):
        raise ValueError(f"b must have shape ({k},) to match W, got {b.shape}")
    return softmax(x @ W + b), x


def probability_weight_grad(W, b, x) -> np.ndarray:
    """Derivatives of each probability with respect to each weight vector, for one example.

    ``G[j, i] = dp_j / dw_i = p_j (delta_ij - p_i) x`` where ``w_i`` is column ``i`` of W.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    x : array_like, shape (D,)

    Returns
    -------
    ndarray, shape (K, K, D)
        ``G[j, i, :]`` is the gradient of ``p_j`` with respect to ``W[:, i]``.
    """
    p, x = _example_probabilities(W, b, x)
    coefficients = np.diag(p) - p[:, None] * p[None, :]
    return coefficients[:, :, None] * x[None, None, :]


def probability_weight_grad_wrong(W, b, x) -> np.ndarray:
    """The classic mistake: differentiate as if the softmax denominator were constant.

    Gives ``p_j delta_ij x``: the ``-p_j p_i x`` term is dropped, so every ``i != j``
    entry is wrongly zero. Kept to show a gradient check failing.

    Returns
    -------
    ndarray, shape (K, K, D)
    """
    p, x = _example_probabilities(W, b, x)
    return np.diag(p)[:, :, None] * x[None, None, :]
