"""Cross-entropy and its gradients for a linear softmax classifier (docs/math.md sections 4-7).

Each loss sits beside its gradient. Shapes: ``X`` (N, D), ``W`` (D, K), ``b`` (K,),
logits ``Z = X @ W + b`` (N, K), labels ``y`` (N,) integers in ``0..K-1``.
"""

from __future__ import annotations

import math

import numpy as np

from explorer.numerics import shifted_exp
from explorer.softmax import log_softmax, softmax
from explorer.validation import as_float_array, as_labels, non_negative_scalar


def _logits_and_labels(logits, y) -> tuple[np.ndarray, np.ndarray]:
    Z = as_float_array(logits, "logits", ndim=2)
    n, k = Z.shape
    if n == 0 or k == 0:
        raise ValueError(f"logits must have at least one row and one column, got shape {Z.shape}")
    return Z, as_labels(y, "y", n=n, classes=k)


def one_hot(y, classes: int) -> np.ndarray:
    """One-hot matrix of labels.

    Parameters
    ----------
    y : array_like, shape (N,)
        Integer labels in ``0..classes-1``.
    classes : int
        K, the number of classes.

    Returns
    -------
    ndarray, shape (N, K), float64
    """
    if isinstance(classes, bool) or not isinstance(classes, int | np.integer) or classes < 1:
        raise ValueError(f"classes must be a positive integer, got {classes!r}")
    array = np.asarray(y)
    if array.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {array.shape}")
    labels = as_labels(array, "y", n=array.shape[0], classes=int(classes))
    encoded = np.zeros((labels.shape[0], classes))
    encoded[np.arange(labels.shape[0]), labels] = 1.0
    return encoded


def cross_entropy(logits, y) -> float:
    """Mean cross-entropy ``L = -(1/N) sum_n log softmax(z_n)[y_n]``.

    Parameters
    ----------
    logits : array_like, shape (N, K)
    y : array_like, shape (N,)
        Integer labels in ``0..K-1``.

    Returns
    -------
    float
    """
    Z, labels = _logits_and_labels(logits, y)
    log_p = log_softmax(Z)
    return float(-log_p[np.arange(Z.shape[0]), labels].mean())


def cross_entropy_grad(logits, y) -> np.ndarray:
    """Gradient of :func:`cross_entropy` with respect to the logits: ``(P - Y) / N``.

    Parameters
    ----------
    logits : array_like, shape (N, K)
    y : array_like, shape (N,)

    Returns
    -------
    ndarray, shape (N, K)
    """
    Z, labels = _logits_and_labels(logits, y)
    grad = softmax(Z)
    grad[np.arange(Z.shape[0]), labels] -= 1.0
    return grad / Z.shape[0]


def check_model_and_data(W, b, X, y, *, w_name: str = "W", b_name: str = "b"):
    """Validate a linear classifier (W, b) and its data (X, y) together.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    X : array_like, shape (N, D), N >= 1
    y : array_like, shape (N,), integer labels in ``0..K-1``
    w_name, b_name : str
        The names the caller gave W and b, used in the error messages (``W0``, ``b0``).

    Returns
    -------
    W, b, X : ndarray, float64
    labels : ndarray, shape (N,), int64
    """
    X = as_float_array(X, "X", ndim=2)
    W = as_float_array(W, w_name, ndim=2)
    b = as_float_array(b, b_name, ndim=1)
    n, d = X.shape
    if n == 0:
        raise ValueError("X must have at least one row")
    if W.shape[0] != d:
        raise ValueError(
            f"{w_name} must have shape ({d}, K) to match X with {d} columns, got {W.shape}"
        )
    k = W.shape[1]
    if k < 1:
        raise ValueError(f"{w_name} must have at least one column (one per class)")
    if b.shape != (k,):
        raise ValueError(f"{b_name} must have shape ({k},) to match {w_name}, got {b.shape}")
    return W, b, X, as_labels(y, "y", n=n, classes=k)


def check_problem(W, b, X, y, reg):
    """:func:`check_model_and_data` plus the L2 strength ``reg`` (a finite number >= 0).

    Returns
    -------
    W, b, X : ndarray, float64
    labels : ndarray, shape (N,), int64
    reg : float
    """
    W, b, X, labels = check_model_and_data(W, b, X, y)
    return W, b, X, labels, non_negative_scalar(reg, "reg")


def loss_and_grad(W, b, X, y, reg: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """Regularised cross-entropy of a linear softmax classifier and its gradients, vectorised.

    ``L = -(1/N) sum_n log p[n, y_n] + 0.5 * reg * sum(W**2)`` with ``P = softmax(X @ W + b)``.

    Parameters
    ----------
    W : array_like, shape (D, K)
    b : array_like, shape (K,)
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Integer labels in ``0..K-1``.
    reg : float, default 0.0
        L2 strength (the bias is not regularised).

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K)
        ``X^T (P - Y) / N + reg * W``.
    db : ndarray, shape (K,)
        ``sum_n (P - Y)[n] / N``.
    """
    W, b, X, labels, reg = check_problem(W, b, X, y, reg)
    return loss_and_grad_unchecked(W, b, X, labels, reg)


def cross_entropy_terms(W, b, X, labels) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """The mean cross-entropy, and the exponentials its gradient reuses (no argument checks).

    Arguments as for :func:`loss_and_grad_unchecked`. Works on the transposed scores,
    classes along axis 0 and examples along axis 1: every per-example reduction over the
    K classes then runs over long contiguous rows, which numpy vectorises (reducing
    along a short last axis is several times slower).

    Returns
    -------
    data_loss : float
        ``mean_n(logsumexp(s_n) - s_n[y_n])``.
    exps : ndarray, shape (K, N)
        ``exp(s - max s)`` per example (column).
    sums : ndarray, shape (1, N)
        Their column sums.
    true_class : ndarray, shape (N,), intp
        Flat positions in ``exps`` of the true-class entries ``[labels[i], i]``.
    """
    n = X.shape[0]
    scores = W.T @ X.T
    scores += b[:, None]
    true_class = np.multiply(labels, n, dtype=np.intp)
    true_class += np.arange(n)
    true_scores = scores.reshape(-1).take(true_class)
    top, exps, sums = shifted_exp(scores, axis=0, overwrite=True)
    # log p[i, y_i] = shifted score - log(sum of exps), read from the scores rather than as
    # log(exp(...)): a true-class probability that underflows to 0 still gives a finite loss.
    true_scores -= top[0]
    data_loss = float(np.log(sums).sum() - true_scores.sum()) / n
    return data_loss, exps, sums, true_class


def loss_unchecked(W, b, X, labels, reg) -> float:
    """The regularised loss of :func:`loss_and_grad` alone, without argument checks.

    For the full-data loss after a mini-batch step, where no gradient is needed.
    Arguments as for :func:`loss_and_grad_unchecked`.
    """
    loss = cross_entropy_terms(W, b, X, labels)[0]
    if reg:
        loss += 0.5 * reg * float(np.sum(W * W))
    return loss


def loss_and_grad_unchecked(W, b, X, labels, reg) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`loss_and_grad` without argument checks, for inner loops on trusted arrays.

    Parameters
    ----------
    W : ndarray, shape (D, K), float64
    b : ndarray, shape (K,), float64
    X : ndarray, shape (N, D), float64
    labels : ndarray, shape (N,), int64
        In ``0..K-1``.
    reg : float
        >= 0.

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K)
    db : ndarray, shape (K,)
        As :func:`loss_and_grad`; none of the arguments is modified.
    """
    n = X.shape[0]
    data_loss, exps, sums, true_class = cross_entropy_terms(W, b, X, labels)
    # (P - Y) / N in place: one scaling of every entry, one scatter at the true classes.
    grad_scores = exps
    grad_scores *= 1.0 / (n * sums)
    grad_scores.reshape(-1)[true_class] -= 1.0 / n
    dW = X.T @ grad_scores.T
    db = grad_scores.sum(axis=1)
    if reg:
        dW += reg * W
        data_loss += 0.5 * reg * float(np.sum(W * W))
    return data_loss, dW, db


def loss_and_grad_textbook(W, b, X, y, reg: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """The same loss and gradients as :func:`loss_and_grad`, in the textbook vectorised form.

    ``P = softmax(X @ W + b)``, ``dS = (P - Y) / N``, ``dW = X^T dS + reg * W``: the matrix
    form the /check lesson teaches. :func:`loss_and_grad` computes the same numbers with
    tuned memory access for training's inner loop.

    Parameters
    ----------
    W, b, X, y, reg
        As for :func:`loss_and_grad`: shapes (D, K), (K,), (N, D), (N,); reg >= 0.

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K)
    db : ndarray, shape (K,)
    """
    W, b, X, labels, reg = check_problem(W, b, X, y, reg)
    n = X.shape[0]
    rows = np.arange(n)
    scores = X @ W + b                                   # (N, K)
    log_p = log_softmax(scores)                          # stable: shifted by each row's max
    loss = -log_p[rows, labels].mean() + 0.5 * reg * np.sum(W * W)
    dS = np.exp(log_p)                                   # P
    dS[rows, labels] -= 1.0                              # P - Y
    dS /= n
    dW = X.T @ dS + reg * W
    db = dS.sum(axis=0)
    return float(loss), dW, db


def loss_and_grad_naive(W, b, X, y, reg: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """The same loss and gradients as :func:`loss_and_grad`, with explicit loops.

    Written the way the classic course assignment writes it: one example at a time,
    one class at a time, accumulating ``(p_j - [j == y]) * x`` into column ``j`` of dW.

    Parameters
    ----------
    W, b, X, y, reg
        As for :func:`loss_and_grad`: shapes (D, K), (K,), (N, D), (N,); reg >= 0.

    Returns
    -------
    loss : float
    dW : ndarray, shape (D, K)
    db : ndarray, shape (K,)
    """
    W, b, X, labels, reg = check_problem(W, b, X, y, reg)
    n, d = X.shape
    k = W.shape[1]
    loss = 0.0
    dW = np.zeros((d, k))
    db = np.zeros(k)
    for i in range(n):
        scores = [sum(X[i, r] * W[r, j] for r in range(d)) + b[j] for j in range(k)]
        top = max(scores)
        # Shift by the max so that exp() cannot overflow.
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        loss += math.log(total) - (scores[labels[i]] - top)
        for j in range(k):
            coefficient = exps[j] / total - (1.0 if j == labels[i] else 0.0)
            for r in range(d):
                dW[r, j] += coefficient * X[i, r]
            db[j] += coefficient
    loss /= n
    dW /= n
    db /= n
    loss += 0.5 * reg * float(np.sum(W * W))
    dW += reg * W
    return loss, dW, db
