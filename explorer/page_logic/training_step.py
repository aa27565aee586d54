"""One step of a /training run, inspected: the per-example table, the pulls, the confusion.

Everything the page shows about the model after ``step`` updates of a :class:`Run`
(explorer.page_logic.training_run): the scores and probabilities of the training points
(:func:`example_table`), how each point pulls the weights of one class (:func:`pulls`) and
the true against predicted classes (:func:`predictions`, :func:`confusion_matrix`).

Shapes: points ``X`` (N, 2); features ``F`` (N, D); ``W`` (D, K), ``b`` (K,).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.numerics import log_softmax, shifted_exp
from explorer.page_logic.training_run import Data, Run
from explorer.settings import specs

#: Rows of the per-example table.
TABLE_ROWS = 50


def probabilities(W, b, F) -> tuple[np.ndarray, np.ndarray]:
    """Scores and softmax probabilities of the rows of ``F``.

    Returns
    -------
    scores : ndarray, shape (N, K)
    probs : ndarray, shape (N, K)
    """
    scores = F @ W + b
    _, exps, sums = shifted_exp(scores, axis=1)
    return scores, exps / sums


#: Orders of the per-example table: dataset order, or by the loss of each point.
TABLE_ORDERS = specs.TABLE_ORDER.options


def example_table(data: Data, run: Run, step: int, rows: int = TABLE_ROWS, *,
                  order: str = TABLE_ORDERS[0], page: int = 0) -> dict:
    """The classic per-example table: one page of ``rows`` training points at ``step``.

    Parameters
    ----------
    data : Data
    run : Run
    step : int
    rows : int
        Points per page.
    order : one of ``TABLE_ORDERS``
        Dataset order, or sorted by the point's loss (ties keep dataset order).
    page : int
        0-based page of that order; a page past the end is empty.

    Returns
    -------
    dict of str -> ndarray, each of shape (R,) with R <= rows
        ``point`` (the index among the training points), ``x1, x2, y``, then
        ``s0..s{K-1}`` (scores), ``p0..p{K-1}`` (probabilities), ``loss`` (``-log p_y``,
        without the regulariser) and ``predicted``.
    """
    if order not in TABLE_ORDERS:
        raise ValueError(f"order must be one of {', '.join(TABLE_ORDERS)}, got {order!r}")
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    scores, probs = probabilities(W, b, data.F_train)
    log_p = log_softmax(scores, axis=1)
    labels = data.y_train
    loss = -log_p[np.arange(labels.shape[0]), labels]
    if order == TABLE_ORDERS[1]:
        index = np.argsort(-loss, kind="stable")
    elif order == TABLE_ORDERS[2]:
        index = np.argsort(loss, kind="stable")
    else:
        index = np.arange(labels.shape[0])
    index = index[page * rows : (page + 1) * rows]
    table = {"point": index, "x1": data.X_train[index, 0], "x2": data.X_train[index, 1],
             "y": labels[index]}
    for k in range(data.classes):
        table[f"s{k}"] = scores[index, k]
    for k in range(data.classes):
        table[f"p{k}"] = probs[index, k]
    table["loss"] = loss[index]
    table["predicted"] = scores[index].argmax(axis=1)
    return table


@dataclass(frozen=True, eq=False)
class Pulls:
    """How each training point pulls the weights of one class, at one step.

    Attributes
    ----------
    points : ndarray, shape (N, 2)
        The training points.
    labels : ndarray, shape (N,), int64
        Their classes.
    pull : ndarray, shape (N, 2)
        ``-(p_nk - y_nk) * (x1, x2)_n``: the (x1, x2) rows of the per-example gradient
        term of column k, negated, i.e. where one descent step moves ``w_k`` because of
        point n (before the 1/N average and the step size).
    mean_pull : ndarray, shape (2,)
        The average of ``pull``: minus the data part of ``dL/dW[:2, k]``.
    weights : ndarray, shape (2,)
        ``W[:2, k]`` at the step.
    """

    points: np.ndarray
    labels: np.ndarray
    pull: np.ndarray
    mean_pull: np.ndarray
    weights: np.ndarray


def pulls(data: Data, run: Run, step: int, k: int) -> Pulls:
    """Each training point's pull on the weights of class ``k`` at ``step``."""
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    _, probs = probabilities(W, b, data.F_train)
    coefficient = probs[:, k] - (data.y_train == k)
    pull = -coefficient[:, None] * data.F_train[:, :2]
    return Pulls(
        points=data.X_train, labels=data.y_train, pull=pull, mean_pull=pull.mean(axis=0),
        weights=W[:2, k].copy(),
    )


def confusion_matrix(y_true, y_pred, classes: int) -> np.ndarray:
    """Counts ``C[i, j]`` of points of true class i predicted as j, shape (K, K), int64."""
    matrix = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return matrix


def predictions(
    data: Data, run: Run, step: int, split: str = "test"
) -> tuple[np.ndarray, np.ndarray]:
    """True and predicted labels of one split at ``step``: ``(y, y_hat)``, each (N_split,)."""
    F, y = (data.F_test, data.y_test) if split == "test" else (data.F_train, data.y_train)
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    return y, (F @ W + b).argmax(axis=1)
