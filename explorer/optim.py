"""Gradient descent and its variants for a softmax classifier (docs/math.md sections 9-10).

:func:`train` runs one optimizer from ``(W0, b0)`` and records every iterate in a
:class:`Trajectory`. The update rules match ``torch.optim`` with its default options
step for step (docs/math.md section 9), so a trajectory can be reproduced in PyTorch. ``g`` is the
gradient of the regularised loss ``L + 0.5 * reg * sum(W**2)``: the L2 term enters the
gradient of W only (the bias is not regularised), it is *not* torch's ``weight_decay``.

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

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.i18n import N_
from explorer.losses import check_model_and_data, loss_and_grad_unchecked, loss_unchecked
from explorer.validation import bounded_integer, non_negative_scalar, positive_scalar

OPTIMIZERS: tuple[str, ...] = ("gd", "sgd", "momentum", "nesterov", "adam", "rmsprop")

#: One line per optimizer for learners (English messages, translated where they are shown).
OPTIMIZER_DESCRIPTIONS: dict[str, str] = {
    "gd": N_("Gradient descent: step downhill along the full-data gradient, scaled by lr."),
    "sgd": N_("Stochastic gradient descent: the same step, using a random mini-batch each time."),
    "momentum": N_("Momentum: keep a running sum of past gradients so steps build up speed."),
    "nesterov": N_("Nesterov momentum: like momentum, but it looks one step ahead before "
                   "stepping."),
    "adam": N_("Adam: per-parameter steps from running averages of the gradient and its square."),
    "rmsprop": N_("RMSprop: divide each step by a running average of that parameter's "
                  "gradient size."),
}

MAX_STEPS = 100_000
DIVERGENCE_FACTOR = 1e6
RMSPROP_ALPHA = 0.99
PROGRESS_CALLS = 100


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Every iterate of one training run (arrays are read-only).

    Attributes
    ----------
    W : ndarray, shape (steps + 1, D, K)
        ``W[t]`` is the weight matrix after t steps; ``W[0]`` is ``W0``.
    b : ndarray, shape (steps + 1, K)
        ``b[t]`` is the bias after t steps; ``b[0]`` is ``b0``.
    loss : ndarray, shape (steps + 1,)
        Full-data regularised loss at each iterate.
    diverged_at : int or None
        The 1-based number of the step whose result diverged (that iterate is not
        recorded, so ``steps == diverged_at - 1``), or None if training completed.
    """

    W: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    diverged_at: int | None = None

    @property
    def steps(self) -> int:
        """Number of steps actually taken (``len(loss) - 1``)."""
        return self.loss.shape[0] - 1


def _unit_interval(value, name: str) -> float:
    """Return ``value`` as a float in [0, 1), or raise a ValueError naming ``name``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}") from None
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return number


def _check_betas(betas) -> tuple[float, float]:
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
    return _unit_interval(beta1, "betas[0]"), _unit_interval(beta2, "betas[1]")


def _check_data(X, y, W0, b0):
    W0, b0, X, labels = check_model_and_data(W0, b0, X, y, w_name="W0", b_name="b0")
    return X, labels, W0, b0


def _check_options(optimizer, lr, steps, reg, batch_size, seed, momentum, betas, eps, progress):
    """:func:`train`'s options, checked in its order; returns them from ``lr`` to ``eps``."""
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {optimizer!r}")
    lr = positive_scalar(lr, "lr")
    steps = bounded_integer(steps, "steps", 1, MAX_STEPS)
    reg = non_negative_scalar(reg, "reg")
    if batch_size is not None:
        batch_size = bounded_integer(batch_size, "batch_size", 1)
    seed = bounded_integer(seed, "seed", 0)
    momentum = _unit_interval(momentum, "momentum")
    betas = _check_betas(betas)
    eps = positive_scalar(eps, "eps")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be a callable (done, total) or None, got {progress!r}")
    return lr, steps, reg, batch_size, seed, momentum, betas, eps


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
        One of :data:`OPTIMIZERS`; the rules are in the module docstring.
    shape : tuple of int
        The shape of ``theta`` and ``g``, (D+1, K) in :func:`descend`.
    lr, momentum, betas, eps
        As for :func:`train` (checked there).

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


def train(
    X,
    y,
    W0,
    b0,
    *,
    optimizer: str = "gd",
    lr: float = 0.1,
    steps: int = 100,
    reg: float = 0.0,
    batch_size: int | None = None,
    seed: int = 0,
    momentum: float = 0.9,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    progress: Callable[[int, int], object] | None = None,
) -> Trajectory:
    """Train the linear softmax classifier from ``(W0, b0)`` and record every iterate.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Integer labels in ``0..K-1``.
    W0 : array_like, shape (D, K)
        Initial weights.
    b0 : array_like, shape (K,)
        Initial bias.
    optimizer : str, default "gd"
        One of :data:`OPTIMIZERS`; the update rules are in the module docstring.
    lr : float, default 0.1
        Learning rate, > 0.
    steps : int, default 100
        Number of steps, 1..100000.
    reg : float, default 0.0
        L2 strength: the loss includes ``0.5 * reg * sum(W**2)`` (bias not regularised).
    batch_size : int, optional
        Mini-batch size for every optimizer except ``gd``; None or >= N means full batch.
    seed : int, default 0
        Seeds the mini-batch order (see the module docstring).
    momentum : float, default 0.9
        ``mu`` of ``momentum`` and ``nesterov``, in [0, 1).
    betas : (float, float), default (0.9, 0.999)
        Adam's ``(b1, b2)``, each in [0, 1).
    eps : float, default 1e-8
        Adam's and RMSprop's ``eps`` (added after the square root), > 0.
    progress : callable, optional
        Called as ``progress(done_steps, steps)`` at most about 100 times, last when the
        run ends (with ``done_steps < steps`` if it diverged).

    Returns
    -------
    Trajectory
        ``W`` (S+1, D, K), ``b`` (S+1, K), ``loss`` (S+1,) with S the steps taken, and
        ``diverged_at``.
    """
    X, labels, W0, b0 = _check_data(X, y, W0, b0)
    lr, steps, reg, batch_size, seed, momentum, betas, eps = _check_options(
        optimizer, lr, steps, reg, batch_size, seed, momentum, betas, eps, progress
    )
    n, d = X.shape
    k = W0.shape[1]
    full_batch = optimizer == "gd" or batch_size is None or batch_size >= n
    history = np.empty((steps + 1, d + 1, k))
    losses = np.empty(steps + 1)
    report_every = max(1, math.ceil(steps / PROGRESS_CALLS))
    done = 0

    def record(t: int, theta: np.ndarray, loss: float) -> None:
        nonlocal done
        history[t] = theta
        losses[t] = loss
        done = t
        if progress is not None and t % report_every == 0 and 0 < t < steps:
            progress(t, steps)

    diverged_at = descend(
        X, labels, W0, b0, steps=steps, reg=reg,
        update=make_update(optimizer, (d + 1, k), lr, momentum, betas, eps),
        batches=None if full_batch else minibatches(n, batch_size, seed),
        record=record,
    )
    if progress is not None:
        progress(done, steps)

    if done < steps:
        history = history[: done + 1].copy()
        losses = losses[: done + 1].copy()
    W_hist = np.ascontiguousarray(history[:, :d])
    b_hist = np.ascontiguousarray(history[:, d])
    for array in (W_hist, b_hist, losses):
        array.setflags(write=False)
    return Trajectory(W=W_hist, b=b_hist, loss=losses, diverged_at=diverged_at)
