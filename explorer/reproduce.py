"""The entry point of the standalone script that /training exports: train, then print.

:func:`explorer.export.reproduce_script` writes a numpy-only program made of the run's
settings and data, the source of :func:`reproduce` and the source of every library
function it calls (:data:`SCRIPT_FUNCTIONS`), so the script runs the very code the
page ran and prints the same final loss, digit for digit. Inside the package
:func:`reproduce` runs on the library's own functions.
"""

from __future__ import annotations

import numpy as np

from explorer.descent import (
    DIVERGENCE_FACTOR,
    RMSPROP_ALPHA,
    descend,
    make_update,
    minibatches,
)
from explorer.losses import cross_entropy_terms, loss_and_grad_unchecked, loss_unchecked
from explorer.numerics import quadratic_features, shifted_exp

SCRIPT_FUNCTIONS = (
    shifted_exp,
    quadratic_features,
    cross_entropy_terms,
    loss_unchecked,
    loss_and_grad_unchecked,
    minibatches,
    make_update,
    descend,
)
"""The library functions the script copies, callees before callers."""

SCRIPT_CONSTANTS = {
    "DIVERGENCE_FACTOR": DIVERGENCE_FACTOR,
    "RMSPROP_ALPHA": RMSPROP_ALPHA,
}
"""Module constants those functions read, written into the script with their values."""


def reproduce(X_train, y_train, X_test, y_test, *, features, optimizer, lr, steps, reg,
              batch_size, seed, momentum, betas, eps, W0, b0) -> list[float]:
    """Train as /training does and print the accuracies and the final training loss.

    Parameters
    ----------
    X_train : ndarray, shape (N, 2)
    y_train : ndarray, shape (N,), int64
    X_test : ndarray, shape (M, 2)
    y_test : ndarray, shape (M,), int64
    features : {"raw", "quadratic"}
    optimizer, lr, steps, reg, batch_size, seed, momentum, betas, eps
        As for :func:`explorer.optim.train`; ``batch_size`` None means full batch, and
        ``gd`` always steps on the full batch.
    W0 : ndarray, shape (D, K)
    b0 : ndarray, shape (K,)

    Returns
    -------
    list of float
        The training loss at every recorded iterate (the last is the one printed).
    """
    quadratic = features == "quadratic"
    F_train = quadratic_features(X_train) if quadratic else np.ascontiguousarray(X_train)
    F_test = quadratic_features(X_test) if quadratic else np.ascontiguousarray(X_test)
    n, d = F_train.shape
    full_batch = optimizer == "gd" or batch_size is None or batch_size >= n
    losses, last = [], np.empty((d + 1, W0.shape[1]))

    def record(t, theta, loss):
        losses.append(loss)
        last[...] = theta

    diverged_at = descend(
        F_train, y_train, W0, b0, steps=steps, reg=reg,
        update=make_update(optimizer, last.shape, lr, momentum, betas, eps),
        batches=None if full_batch else minibatches(n, batch_size, seed),
        record=record,
    )
    W, b = last[:d], last[d]
    if diverged_at is not None:
        print(f"diverged at step {diverged_at}: try a smaller learning rate")
    accuracy = np.mean((F_train @ W + b).argmax(axis=1) == y_train)
    print(f"train accuracy after {len(losses) - 1} steps: {accuracy:.4f}")
    if y_test.size:
        test_accuracy = np.mean((F_test @ W + b).argmax(axis=1) == y_test)
        print(f"test accuracy: {test_accuracy:.4f}")
    print(f"final train loss: {losses[-1]!r}")
    return losses
