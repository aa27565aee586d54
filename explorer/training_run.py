"""From the /training settings to a trained classifier and everything the page shows.

The page's pipeline, as pure functions of small settings (the page caches them, keyed
by those settings):

``DataSettings`` -> :func:`make_data` -> ``Data`` (points, split, features)
``TrainSettings`` + ``Data`` -> :func:`compute_run` -> ``Run`` (trajectory + metrics)
``Run`` at a step -> :func:`example_table`, :func:`pulls`, :func:`confusion_matrix`
``Data`` + ``Run`` -> explorer.player_payload (the trajectory the browser's player draws)

Shapes: points ``X`` (N, 2); features ``F`` (N, D) with D = 2 (raw) or 5 (quadratic);
``W`` (D, K), ``b`` (K,); a trajectory has S + 1 iterates (S steps taken).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from explorer.boundaries import feature_map
from explorer.datasets import make_dataset, parse_points, train_test_split
from explorer.optim import Trajectory, train
from explorer.settings import specs

#: Standard deviation of the initial weights (the bias starts at 0). Large enough that
#: the first decision boundaries are visible and the landscape path has somewhere to go.
INIT_SCALE = 0.5
#: Added to the data seed for the train/test split, so the split's permutation is not
#: the same random draw that shuffled the points.
SPLIT_SEED_OFFSET = 7919
#: At most this many points of the test-loss and accuracy curves are computed and sent.
MAX_CURVE_POINTS = 400
#: Rows of the per-example table.
TABLE_ROWS = 50
#: Elements per temporary when evaluating every step at once (bounds memory).
CHUNK_ELEMENTS = 2_000_000


@dataclass(frozen=True)
class DataSettings:
    """The data controls of the page (URL keys in brackets)."""

    dataset: str = specs.DATASET.default  # [dataset]
    n: int = specs.POINTS.default  # [n]
    classes: int = specs.CLASSES.default  # [classes]
    noise: float = specs.NOISE.default  # [noise]
    seed: int = specs.DATA_SEED.default  # [seed] also seeds the train/test split
    test: float = specs.TEST_FRACTION.default  # [test]
    features: str = specs.FEATURES.default  # [features]
    scale: int = specs.FEATURE_SCALE.default  # [scale] multiplies every point


@dataclass(frozen=True)
class TrainSettings:
    """The optimisation controls of the page (URL keys in brackets)."""

    optimizer: str = specs.OPTIMIZER.default  # [optimizer]
    lr: float = specs.LEARNING_RATE.default  # [lr]
    steps: int = specs.STEPS.default  # [steps]
    reg: float = specs.TRAIN_REG.default  # [reg]
    batch: int = specs.BATCH.default  # [batch]
    init: int = specs.INIT_SEED.default  # [init] seeds the initial weights and the batches

    @property
    def batch_size(self) -> int | None:
        """The mini-batch size given to ``train``: ``batch`` for sgd, full batch otherwise."""
        return self.batch if self.optimizer == "sgd" else None


@dataclass(frozen=True, eq=False)
class Data:
    """The points, their split and the model's inputs.

    Attributes
    ----------
    X : ndarray, shape (N, 2)
        Every point, in dataset order.
    y : ndarray, shape (N,), int64
    X_train, X_test : ndarray, shape (N_train, 2), (N_test, 2)
    y_train, y_test : ndarray, shape (N_train,), (N_test,)
    classes : int
        K, the number of classes of the model.
    features : {"raw", "quadratic"}
    bounds : (x_min, x_max, y_min, y_max)
        The square of the plane the page draws.
    """

    X: np.ndarray
    y: np.ndarray
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: int
    features: str
    bounds: tuple[float, float, float, float] = field(default=(-1.5, 1.5, -1.5, 1.5))

    @cached_property
    def F_train(self) -> np.ndarray:
        """The model's inputs for the training points, shape (N_train, D)."""
        return feature_map(self.X_train, self.features)

    @cached_property
    def F_test(self) -> np.ndarray:
        """The model's inputs for the test points, shape (N_test, D)."""
        return feature_map(self.X_test, self.features)

    @property
    def dim(self) -> int:
        """D, the number of inputs of the model."""
        return 2 if self.features == "raw" else 5


def plane_bounds(X) -> tuple[float, float, float, float]:
    """A square around the points with a margin, its half-width rounded up to 0.25.

    Parameters
    ----------
    X : array_like, shape (N, 2)

    Returns
    -------
    (x_min, x_max, y_min, y_max)
    """
    X = np.asarray(X, dtype=np.float64)
    low, high = X.min(axis=0), X.max(axis=0)
    centre = np.round((low + high) / 2, 1)
    half = float(np.max(np.maximum(high - centre, centre - low))) * 1.06 + 0.05
    half = max(1.0, math.ceil(half * 4) / 4)
    return (
        float(centre[0] - half), float(centre[0] + half),
        float(centre[1] - half), float(centre[1] + half),
    )


#: The most points and classes the page accepts in the learner's own data.
MAX_CUSTOM_ROWS = int(specs.POINTS.max_value)
MAX_CUSTOM_CLASSES = int(specs.CLASSES.max_value)


def parse_custom_points(data: str | bytes) -> tuple[np.ndarray, np.ndarray]:
    """The learner's CSV, read by :func:`explorer.parse_points`, within the page's limits.

    Parameters
    ----------
    data : str or bytes
        ``x1, x2, label`` rows (see ``parse_points`` for every accepted form).

    Returns
    -------
    X : ndarray, shape (N, 2)
    y : ndarray, shape (N,), int64

    Raises
    ------
    ValueError
        Whatever ``parse_points`` rejects, and more than ``MAX_CUSTOM_ROWS`` rows or a
        label above ``MAX_CUSTOM_CLASSES - 1``, with a sentence saying so.
    """
    X, y = parse_points(data)
    if X.shape[0] > MAX_CUSTOM_ROWS:
        raise ValueError(
            f"the data has {X.shape[0]:,} rows; this page trains on at most "
            f"{MAX_CUSTOM_ROWS:,} points"
        )
    if y.max() >= MAX_CUSTOM_CLASSES:
        row = int(np.flatnonzero(y >= MAX_CUSTOM_CLASSES)[0])
        raise ValueError(
            f"row {row + 1} has label {int(y[row])}; this page trains at most "
            f"{MAX_CUSTOM_CLASSES} classes (labels 0 to {MAX_CUSTOM_CLASSES - 1})"
        )
    return X, y


def make_data(settings: DataSettings, custom: tuple[np.ndarray, np.ndarray] | None = None) -> Data:
    """Draw (or take) the points, split them and record the feature map.

    Parameters
    ----------
    settings : DataSettings
    custom : (X (N, 2), y (N,)), optional
        The learner's points, required when ``settings.dataset == "custom"`` (then
        ``n``, ``classes`` and ``noise`` are ignored and K = max label + 1).

    Returns
    -------
    Data
    """
    if settings.dataset == "custom":
        if custom is None:
            raise ValueError("dataset 'custom' needs the learner's points")
        X = np.asarray(custom[0], dtype=np.float64)
        y = np.asarray(custom[1], dtype=np.int64)
        classes = int(y.max()) + 1
    else:
        X, y = make_dataset(
            settings.dataset, settings.n, classes=settings.classes, noise=settings.noise,
            seed=settings.seed,
        )
        classes = settings.classes
    if settings.scale != 1:
        X = X * float(settings.scale)
    X_train, y_train, X_test, y_test = train_test_split(
        X, y, settings.test, seed=settings.seed + SPLIT_SEED_OFFSET
    )
    return Data(
        X=X, y=y,
        X_train=np.ascontiguousarray(X_train), y_train=y_train,
        X_test=np.ascontiguousarray(X_test), y_test=y_test,
        classes=classes, features=settings.features, bounds=plane_bounds(X),
    )


def initial_params(dim: int, classes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The starting point of training: small random weights, zero bias.

    Returns
    -------
    W0 : ndarray, shape (dim, classes)
        ``INIT_SCALE * default_rng(seed).standard_normal((dim, classes))``.
    b0 : ndarray, shape (classes,)
        Zeros.
    """
    rng = np.random.default_rng(seed)
    return INIT_SCALE * rng.standard_normal((dim, classes)), np.zeros(classes)


@dataclass(frozen=True, eq=False)
class Run:
    """One training run and its learning curves.

    Attributes
    ----------
    settings : TrainSettings
    trajectory : Trajectory
        ``W`` (S+1, D, K), ``b`` (S+1, K), ``loss`` (S+1,): the regularised training loss
        at every iterate.
    curve_steps : ndarray, shape (C,)
        The iterates (at most ``MAX_CURVE_POINTS``, evenly spaced, first and last
        included) at which the other curves are evaluated.
    test_loss : ndarray, shape (C,)
        The same objective (cross-entropy + 0.5*reg*sum(W**2)) on the test points;
        empty when there is no test split.
    train_accuracy, test_accuracy : ndarray, shape (C,)
        Share of points classified correctly (test: empty without a test split).
    """

    settings: TrainSettings
    trajectory: Trajectory
    curve_steps: np.ndarray
    test_loss: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray

    @property
    def train_loss(self) -> np.ndarray:
        """The regularised training loss at every iterate, shape (S+1,)."""
        return self.trajectory.loss

    @property
    def steps_taken(self) -> int:
        """S: the steps recorded (fewer than asked for when training diverged)."""
        return self.trajectory.steps

    @property
    def diverged_at(self) -> int | None:
        """The step whose result was not finite (or exploded), or None."""
        return self.trajectory.diverged_at

    @property
    def final_loss(self) -> float:
        """The training loss at the last recorded iterate."""
        return float(self.trajectory.loss[-1])


def class_scores(Ws, bs, F) -> list[np.ndarray]:
    """Scores of every point at every iterate, one array per class.

    One array per class (rather than one (T, N, K) array) keeps every reduction over
    the classes elementwise: numpy is several times slower reducing a short last axis.

    Parameters
    ----------
    Ws : ndarray, shape (T, D, K)
    bs : ndarray, shape (T, K)
    F : ndarray, shape (N, D)

    Returns
    -------
    list of K ndarrays, each shape (T, N)
        Entry k holds ``s_k = F @ W[t][:, k] + b[t][k]``.
    """
    # Contiguous operands let matmul use BLAS; with a short inner dimension (D = 2) and
    # strided views numpy falls back to a loop about 10x slower.
    FT = np.ascontiguousarray(F.T)
    return [np.ascontiguousarray(Ws[:, :, k]) @ FT + bs[:, k : k + 1] for k in range(Ws.shape[2])]


def _summaries(scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top score, log-sum-exp and arg-max over the classes of per-class score arrays."""
    top = scores[0].copy()
    for s in scores[1:]:
        np.maximum(top, s, out=top)
    total = np.zeros_like(top)
    work = np.empty_like(top)
    for s in scores:
        # Shifting by the top score keeps exp() finite.
        np.subtract(s, top, out=work)
        total += np.exp(work, out=work)
    # The first class reaching the top score, as np.argmax picks it.
    best = np.zeros(top.shape, dtype=np.int64)
    for k in range(len(scores) - 1, -1, -1):
        best[scores[k] == top] = k
    return top, top + np.log(total), best


def curves(Ws, bs, F, y, reg: float) -> tuple[np.ndarray, np.ndarray]:
    """Regularised loss and accuracy on ``(F, y)`` at every iterate, evaluated in chunks.

    Returns
    -------
    loss : ndarray, shape (T,)
        ``mean_n(logsumexp(s_n) - s_n[y_n]) + 0.5 * reg * sum(W**2)``; empty when N = 0.
    accuracy : ndarray, shape (T,)
    """
    t, _, k = Ws.shape
    n = F.shape[0]
    if n == 0:
        return np.empty(0), np.empty(0)
    loss = np.empty(t)
    accuracy = np.empty(t)
    chunk = max(1, CHUNK_ELEMENTS // (n * k))
    masks = [y == c for c in range(k)]
    for start in range(0, t, chunk):
        stop = min(t, start + chunk)
        scores = class_scores(Ws[start:stop], bs[start:stop], F)
        _, lse, best = _summaries(scores)
        true_scores = np.zeros_like(lse)
        for c in range(k):
            true_scores += np.where(masks[c], scores[c], 0.0)
        loss[start:stop] = (lse - true_scores).mean(axis=1)
        accuracy[start:stop] = (best == y).mean(axis=1)
    if reg:
        loss += 0.5 * reg * np.einsum("tdk,tdk->t", Ws, Ws)
    return loss, accuracy


def compute_run(
    data: Data,
    settings: TrainSettings,
    progress: Callable[[float], object] | None = None,
) -> Run:
    """Train on the training split from :func:`initial_params` and record the curves.

    Parameters
    ----------
    data : Data
    settings : TrainSettings
    progress : callable, optional
        Called with the fraction done (0..1) while training runs.

    Returns
    -------
    Run
    """
    W0, b0 = initial_params(data.dim, data.classes, settings.init)
    report = None
    if progress is not None:
        def report(done: int, total: int) -> None:
            progress(0.9 * done / max(total, 1))
    trajectory = train(
        data.F_train, data.y_train, W0, b0,
        optimizer=settings.optimizer, lr=settings.lr, steps=settings.steps, reg=settings.reg,
        batch_size=settings.batch_size, seed=settings.init, progress=report,
    )
    curve_steps = frame_steps(trajectory.steps, MAX_CURVE_POINTS)
    Ws, bs = trajectory.W[curve_steps], trajectory.b[curve_steps]
    _, train_accuracy = curves(Ws, bs, data.F_train, data.y_train, 0.0)
    test_loss, test_accuracy = curves(Ws, bs, data.F_test, data.y_test, settings.reg)
    if progress is not None:
        progress(1.0)
    return Run(
        settings=settings, trajectory=trajectory, curve_steps=curve_steps,
        test_loss=test_loss, train_accuracy=train_accuracy, test_accuracy=test_accuracy,
    )


def frame_steps(steps_taken: int, max_frames: int = MAX_CURVE_POINTS) -> np.ndarray:
    """Evenly spaced iterate numbers from 0 to ``steps_taken`` (both included).

    Returns
    -------
    ndarray, shape (F,), int64
        F = min(steps_taken + 1, max_frames), strictly increasing.
    """
    count = min(steps_taken + 1, max_frames)
    return np.unique(np.round(np.linspace(0, steps_taken, count)).astype(np.int64))


def probabilities(W, b, F) -> tuple[np.ndarray, np.ndarray]:
    """Scores and softmax probabilities of the rows of ``F``.

    Returns
    -------
    scores : ndarray, shape (N, K)
    probs : ndarray, shape (N, K)
    """
    scores = F @ W + b
    shifted = scores - scores.max(axis=1, keepdims=True)  # stable softmax
    exps = np.exp(shifted)
    return scores, exps / exps.sum(axis=1, keepdims=True)


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
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
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
