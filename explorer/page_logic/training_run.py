"""From the /training settings to a trained classifier: the page's pipeline.

Pure functions of small settings (the page caches them, keyed by those settings). The
settings dataclasses are derived from the page's settings spec
(``explorer.settings.specs.TRAINING_DATA`` and ``TRAINING_RUN``):

``DataSettings`` -> :func:`make_data` -> ``Data`` (points, split, features)
``TrainSettings`` + ``Data`` -> :func:`compute_run` -> ``Run`` (trajectory + metrics)
``Run`` at a step -> explorer.page_logic.training_step (table, pulls, confusion matrix)
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

from explorer.datasets import make_dataset, parse_points, train_test_split
from explorer.numerics import feature_count, feature_map
from explorer.optim import Trajectory, train
from explorer.page_logic.training_curves import curves
from explorer.settings import specs
from explorer.settings.setting import settings_dataclass

#: Standard deviation of the initial weights (the bias starts at 0). Large enough that
#: the first decision boundaries are visible and the landscape path has somewhere to go.
INIT_SCALE = 0.5
#: Added to the data seed for the train/test split, so the split's permutation is not
#: the same random draw that shuffled the points.
SPLIT_SEED_OFFSET = 7919
#: At most this many points of the test-loss and accuracy curves are computed and sent.
MAX_CURVE_POINTS = 400


#: Settings of the points that the learner's own data (``dataset=custom``) replaces.
IGNORED_FOR_CUSTOM = (specs.POINTS.key, specs.CLASSES.key, specs.NOISE.key)


def _applies(self, key: str) -> bool:
    return not (self.dataset == "custom" and key in IGNORED_FOR_CUSTOM)


DataSettings = settings_dataclass(
    "DataSettings", specs.TRAINING_DATA, module=__name__, applies=_applies,
    doc="""The data controls of the page: one field per setting of ``specs.TRAINING_DATA``.

    Fields, named by URL key: ``dataset``, ``n``, ``classes``, ``noise``, ``seed`` (also
    seeds the train/test split), ``test``, ``features``, ``scale`` (multiplies every
    point). ``applies(key)`` is False for the settings the learner's own points replace.
    """,
)


def _batch_size(self) -> int | None:
    """The mini-batch size given to ``train``: ``batch`` for sgd, full batch otherwise."""
    return self.batch if self.optimizer == "sgd" else None


def _train_arguments(self) -> dict:
    """The keyword arguments of :func:`explorer.optim.train` (and of the exported
    script's ``reproduce``) that these settings decide; ``init`` seeds the batches."""
    return {"optimizer": self.optimizer, "lr": self.lr, "steps": self.steps, "reg": self.reg,
            "batch_size": self.batch_size, "seed": self.init}


TrainSettings = settings_dataclass(
    "TrainSettings", specs.TRAINING_RUN, module=__name__,
    batch_size=property(_batch_size), train_arguments=_train_arguments,
    doc="""The optimisation controls of the page: one field per setting of
    ``specs.TRAINING_RUN``.

    Fields, named by URL key: ``optimizer``, ``lr``, ``steps``, ``reg``, ``batch``,
    ``init`` (seeds the initial weights and the batches).
    """,
)


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
        return feature_count(self.features)


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
    trajectory = train(data.F_train, data.y_train, W0, b0, **settings.train_arguments(),
                       progress=report)
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


