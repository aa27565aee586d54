"""The training loop and the update rules behind :func:`explorer.optim.train` (docs/math.md
sections 9-10).

:func:`descend` runs the updates of :func:`make_update` on full data or on the
mini-batches of :func:`minibatches`, with no argument checks: these are the functions the
exported /training script copies (explorer.reproduce). The update rules match
``torch.optim`` with its default options step for step (docs/math.md section 9), so a
trajectory can be reproduced in PyTorch. ``g`` is the gradient of the regularised loss
``L + 0.5 * reg * sum(W**2)``: the L2 term enters the gradient of W only (the bias is
not regularised), it is *not* torch's ``weight_decay``.

- ``gd``: ``theta -= lr * g`` on the full data, always (``batch_size`` is ignored).
- ``sgd``: the same rule on mini-batches of ``batch_size`` examples.
- ``momentum``: ``v = mu * v + g`` (v starts at g on the first step), ``theta -= lr * v``.
- ``nesterov``: ``v = mu * v + g`` (same start), ``theta -= lr * (g + mu * v)``.
- ``adam``: ``m = b1*m + (1-b1)*g``, ``s = b2*s + (1-b2)*g*g`` (both start at 0),
  ``theta -= lr * (m / (1 - b1**t)) / (sqrt(s / (1 - b2**t)) + eps)`` at step t = 1, 2, ...
- ``rmsprop``: ``s = 0.99*s + (1-0.99)*g*g`` (starts at 0), ``theta -= lr * g / (sqrt(s) + eps)``.

Mini-batches: every optimizer except ``gd`` uses the gradient of a mini-batch when
``batch_size`` is given and smaller than N (so ``sgd`` with ``batch_size=None`` is ``gd``).
The batch order is fixed by ``seed``: with ``rng = np.random.default_rng(seed)``, each
epoch draws ``perm = rng.permutation(N)`` and takes the consecutive slices
``perm[0:B], perm[B:2B], ...``; the last slice of an epoch may be shorter than B
(like a PyTorch ``DataLoader`` with ``shuffle=True, drop_last=False``); then a new
epoch reshuffles. The recorded loss is always the full-data loss.

Divergence: after each step the full-data loss at the new iterate is computed. If the
parameters or the loss are not finite, or the loss exceeds ``DIVERGENCE_FACTOR *
max(loss[0], 1)`` (the floor of 1 keeps a tiny initial loss from flagging ordinary
steps), training stops, ``diverged_at`` is that step's number (1-based) and the bad
iterate is *not* recorded, so every recorded value is finite.
"""

from __future__ import annotations

import numpy as np

from explorer.losses import loss_and_grad_unchecked, loss_unchecked

#: Training stops when the loss exceeds this factor times ``max(loss[0], 1)``.
DIVERGENCE_FACTOR = 1e6
#: RMSprop's smoothing constant ``alpha`` (torch.optim's default).
RMSPROP_ALPHA = 0.99


def minibatches(n: int, batch_size: int, seed: int):
    """Yield index arrays forever: a fresh ``rng.permutation(n)`` per epoch, sliced in order.

    Parameters
    ----------
    n : int
        The number of examples N.
    batch_size : int
        B, at least 1.
    seed : int
        Seeds ``np.random.default_rng``.

    Yields
    ------
    ndarray, shape (B,), or shorter for the last batch of an epoch
    """
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]


def make_update(optimizer: str, shape, lr, momentum, betas, eps):
    """Return ``update(theta, g, t)`` applying one step of ``optimizer`` to ``theta`` in place.

    Parameters
    ----------
    optimizer : str
        One of :data:`explorer.optim.OPTIMIZERS`; the rules are in the module docstring.
    shape : tuple of int
        The shape of ``theta`` and ``g``, (D+1, K) in :func:`descend`.
    lr, momentum, betas, eps
        As for :func:`explorer.optim.train` (checked there).

    Returns
    -------
    callable
        ``update(theta, g, t)`` with ``t`` the 1-based step number. The optimizer's
        state (velocity, moments) lives in the closure.
    """
    if optimizer in ("gd", "sgd"):

        def update(theta, g, t):
            theta -= lr * g

    elif optimizer in ("momentum", "nesterov"):
        velocity = np.zeros(shape)
        nesterov = optimizer == "nesterov"

        def update(theta, g, t):
            if t == 1:
                velocity[...] = g
            else:
                np.multiply(velocity, momentum, out=velocity)
                np.add(velocity, g, out=velocity)
            if nesterov:
                theta -= lr * (g + momentum * velocity)
            else:
                theta -= lr * velocity

    elif optimizer == "adam":
        beta1, beta2 = betas
        first = np.zeros(shape)
        second = np.zeros(shape)

        def update(theta, g, t):
            first[...] = beta1 * first + (1.0 - beta1) * g
            second[...] = beta2 * second + (1.0 - beta2) * (g * g)
            m_hat = first / (1.0 - beta1**t)
            s_hat = second / (1.0 - beta2**t)
            theta -= lr * m_hat / (np.sqrt(s_hat) + eps)

    else:  # rmsprop
        square_avg = np.zeros(shape)

        def update(theta, g, t):
            square_avg[...] = RMSPROP_ALPHA * square_avg + (1.0 - RMSPROP_ALPHA) * (g * g)
            theta -= lr * g / (np.sqrt(square_avg) + eps)

    return update


def descend(X, labels, W0, b0, *, steps: int, reg: float, update, batches, record) -> int | None:
    """The training loop: up to ``steps`` updates from ``(W0, b0)``, no argument checks.

    Parameters
    ----------
    X : ndarray, shape (N, D), float64
    labels : ndarray, shape (N,), int64
    W0 : ndarray, shape (D, K)
    b0 : ndarray, shape (K,)
    steps : int
    reg : float
    update : callable
        ``update(theta, g, t)`` from :func:`make_update` for ``theta`` of shape (D+1, K).
    batches : iterator of index arrays, or None
        From :func:`minibatches`; None for full-batch steps.
    record : callable
        ``record(t, theta, loss)`` for every finite iterate, ``t = 0`` (the start) first;
        ``theta`` (D+1, K) holds W in rows 0..D-1 and b in row D, and is reused: copy it.

    Returns
    -------
    int or None
        The 1-based step that diverged (not recorded), or None if every step ran.
    """
    d = X.shape[1]
    k = W0.shape[1]
    # One (D+1, K) array holds W (rows 0..D-1) and b (row D), so each update is one array op.
    theta = np.empty((d + 1, k))
    theta[:d] = W0
    theta[d] = b0
    W, b = theta[:d], theta[d]
    grad = np.empty_like(theta)
    with np.errstate(all="ignore"):
        loss, dW, db = loss_and_grad_unchecked(W, b, X, labels, reg)
        record(0, theta, loss)
        limit = DIVERGENCE_FACTOR * max(loss, 1.0)
        for t in range(1, steps + 1):
            if batches is not None:
                idx = next(batches)
                _, dW, db = loss_and_grad_unchecked(W, b, X[idx], labels[idx], reg)
            grad[:d] = dW
            grad[d] = db
            update(theta, grad, t)
            if not np.isfinite(theta).all():
                return t
            if batches is None:
                # The gradient at this iterate comes with its loss: one evaluation per step.
                loss, dW, db = loss_and_grad_unchecked(W, b, X, labels, reg)
            else:
                loss = loss_unchecked(W, b, X, labels, reg)
            if not loss <= limit:  # also catches nan
                return t
            record(t, theta, loss)
    return None
