"""One 2-D example through a linear softmax classifier: every quantity /weights shows.

Shapes (docs/math.md section 1): ``W`` (D, K) with column ``k`` the weight vector ``w_k`` of
class ``k``, ``b`` (K,), one example ``x`` (D,) of class ``y``. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.gradcheck import numerical_gradient, relative_error
from explorer.losses import loss_and_grad, one_hot
from explorer.page_logic.check import verdict
from explorer.probability_grad import probability_weight_grad, probability_weight_grad_wrong
from explorer.softmax import softmax


@dataclass(frozen=True)
class ForwardPass:
    """Logits, probabilities, loss and the weight gradient split into its two terms.

    Attributes
    ----------
    logits : ndarray, shape (K,)
        ``z = x W + b``.
    p : ndarray, shape (K,)
    target : ndarray, shape (K,)
        The one-hot vector of ``y``.
    loss : float
        ``-log p_y + 0.5 reg sum(W**2)``, from :func:`explorer.loss_and_grad`.
    dW : ndarray, shape (D, K)
        The total gradient, from :func:`explorer.loss_and_grad`.
    data_term : ndarray, shape (D, K)
        ``dW_data[:, k] = x (p_k - y_k)``.
    reg_term : ndarray, shape (D, K)
        ``reg * W``.
    db : ndarray, shape (K,)
    """

    logits: np.ndarray
    p: np.ndarray
    target: np.ndarray
    loss: float
    dW: np.ndarray  # noqa: N815 -- the name docs/math.md uses
    data_term: np.ndarray
    reg_term: np.ndarray
    db: np.ndarray


def forward(W, b, x, y: int, reg: float) -> ForwardPass:
    """The forward pass and the weight gradient of one example (a batch of N = 1)."""
    W = np.asarray(W, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    loss, dW, db = loss_and_grad(W, b, x[None, :], [y], reg)
    logits = x @ W + np.asarray(b, dtype=np.float64)
    p = softmax(logits)
    target = one_hot([y], W.shape[1])[0]
    return ForwardPass(
        logits=logits, p=p, target=target, loss=loss, dW=dW,
        data_term=np.outer(x, p - target), reg_term=reg * W, db=db,
    )


@dataclass(frozen=True)
class GradientCheck:
    """An analytic derivative against central differences.

    Attributes
    ----------
    analytic, numeric : ndarray, shape (D, K)
    relative : float
        Largest elementwise relative error.
    absolute : float
        Largest absolute difference.
    verdict : str
        ``"pass"``, ``"noise"`` or ``"fail"`` (see :func:`explorer.page_logic.check.verdict`).
    """

    analytic: np.ndarray
    numeric: np.ndarray
    relative: float
    absolute: float
    verdict: str


def _check(analytic: np.ndarray, numeric: np.ndarray) -> GradientCheck:
    relative = relative_error(analytic, numeric)
    absolute = float(np.max(np.abs(analytic - numeric)))
    return GradientCheck(analytic, numeric, relative, absolute, verdict(relative, absolute))


def check_loss_gradient(W, b, x, y: int, reg: float) -> GradientCheck:
    """``dL/dW`` of :func:`explorer.loss_and_grad` against central differences of the loss."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(x, dtype=np.float64)[None, :]

    def loss_of(weights: np.ndarray) -> float:
        return loss_and_grad(weights, b, X, [y], reg)[0]

    return _check(loss_and_grad(W, b, X, [y], reg)[1], numerical_gradient(loss_of, W))


def probability_gradient(W, b, x, j: int, *, mistake: bool = False) -> np.ndarray:
    """``dp_j/dW`` as a (D, K) matrix: column ``i`` is ``dp_j/dw_i = p_j (delta_ij - p_i) x``.

    With ``mistake=True`` the softmax denominator is treated as a constant, giving
    ``p_j delta_ij x``: every column ``i != j`` is wrongly zero.
    """
    grads = (probability_weight_grad_wrong if mistake else probability_weight_grad)(W, b, x)
    return grads[j].T


def check_probability_gradient(W, b, x, j: int, *, mistake: bool = False) -> GradientCheck:
    """:func:`probability_gradient` against central differences of ``p_j`` in W."""
    W = np.asarray(W, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    bias = np.asarray(b, dtype=np.float64)

    def probability(weights: np.ndarray) -> float:
        return float(softmax(x @ weights + bias)[j])

    return _check(probability_gradient(W, b, x, j, mistake=mistake),
                  numerical_gradient(probability, W))
