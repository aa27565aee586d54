"""Train a softmax classifier with gradient descent or one of its variants: :func:`train`.

:func:`train` checks its arguments, runs one optimizer from ``(W0, b0)`` with the loop of
:mod:`explorer.descent` (where the update rules, the mini-batch order and the divergence
test are written out, matching ``torch.optim``; docs/math.md sections 9-10) and records
every iterate in a :class:`Trajectory`. The optimizer names (:data:`OPTIMIZERS`) have
their one home here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.descent import descend, make_update, minibatches
from explorer.i18n import N_
from explorer.losses import check_model_and_data
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
        One of :data:`OPTIMIZERS`; the update rules are in :mod:`explorer.descent`.
    lr : float, default 0.1
        Learning rate, > 0.
    steps : int, default 100
        Number of steps, 1..100000.
    reg : float, default 0.0
        L2 strength: the loss includes ``0.5 * reg * sum(W**2)`` (bias not regularised).
    batch_size : int, optional
        Mini-batch size for every optimizer except ``gd``; None or >= N means full batch.
    seed : int, default 0
        Seeds the mini-batch order (see :mod:`explorer.descent`).
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
