"""Two-dimensional toy datasets, their train/test split and their quadratic features.

``make_dataset`` draws one of the datasets in the ``DATASETS`` table (the TensorFlow
Playground's name -> generator idea). All of them fit, roughly, in the square
``[-1.5, 1.5]^2`` so the app can draw a fixed plane. The learner's own points are read
from CSV by :mod:`explorer.points_csv` (``parse_points`` is re-exported here).

Shapes: ``X`` (N, 2) float64, ``y`` (N,) int64 with labels in ``0..K-1``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.i18n import N_
from explorer.numerics import feature_map
from explorer.points_csv import MAX_CLASSES, MAX_ROWS, parse_points
from explorer.validation import as_float_array, bounded_integer

__all__ = [
    "DATASETS",
    "MAX_CLASSES",
    "MAX_ROWS",
    "DatasetSpec",
    "add_quadratic_features",
    "make_dataset",
    "parse_points",
    "train_test_split",
]

MAX_NOISE = 2.0
"""The largest ``noise`` (standard deviation of the jitter) ``make_dataset`` accepts."""

MAX_TEST_FRACTION = 0.9
"""The largest share of the points ``train_test_split`` may hold out for testing."""


# ---------------------------------------------------------------------------
# Generators: noiseless positions for given labels
# ---------------------------------------------------------------------------
# Each takes the labels y (n,), the number of classes K and a seeded generator, and
# returns the noiseless positions (n, 2). make_dataset adds the noise afterwards, so
# with a fixed seed the noise slider only scales the jitter: points move smoothly.


def _blobs(y: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Class k sits at the centre ``(cos a_k, sin a_k)``, ``a_k = pi/2 + 2 pi k / K``."""
    angles = np.pi / 2 + 2 * np.pi * np.arange(classes) / classes
    centres = np.column_stack([np.cos(angles), np.sin(angles)])
    return centres[y]


def _spiral(y: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Arm k: radius ``0.15 + 1.2 t`` and angle ``2 pi k / K + 4 t`` for ``t`` in [0, 1)."""
    t = rng.uniform(0.0, 1.0, size=y.shape[0])
    radius = 0.15 + 1.2 * t
    angle = 2 * np.pi * y / classes + 4.0 * t
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _xor(y: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Class 0 in the quadrants where x1 and x2 have the same sign, class 1 in the others."""
    n = y.shape[0]
    magnitude = rng.uniform(0.1, 1.3, size=(n, 2))
    sign1 = rng.choice(np.array([-1.0, 1.0]), size=n)
    sign2 = np.where(y == 0, sign1, -sign1)
    return magnitude * np.column_stack([sign1, sign2])


def _circles(y: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Class k on the ring of radius ``1.35 (k + 1) / K`` around the origin."""
    radius = 1.35 * (y + 1) / classes
    angle = rng.uniform(0.0, 2 * np.pi, size=y.shape[0])
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def _moons(y: np.ndarray, classes: int, rng: np.random.Generator) -> np.ndarray:
    """Two interleaved half circles (scikit-learn's moons), centred and scaled by 0.85."""
    t = rng.uniform(0.0, np.pi, size=y.shape[0])
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    # Shifting by (-0.5, -0.25) centres the pair on the origin; 0.85 leaves room for noise.
    return 0.85 * (np.where((y == 0)[:, None], upper, lower) - np.array([0.5, 0.25]))


@dataclass(frozen=True)
class DatasetSpec:
    """One row of the ``DATASETS`` table.

    Attributes
    ----------
    generate : callable
        ``generate(y, classes, rng) -> X``: the noiseless positions, shape (n, 2), of
        points with labels ``y`` (n,) in ``0..classes-1``, drawn with the
        ``np.random.Generator`` ``rng``. Use :func:`make_dataset` for checked arguments,
        balanced classes, shuffling and noise.
    description : str
        One line for learners (an English message, translated where it is shown).
    min_classes, max_classes : int
        The allowed numbers of classes K (inclusive).
    linearly_separable : bool
        Whether, at low noise, a linear classifier on the raw features (x1, x2) can
        classify every point correctly.
    """

    generate: Callable[[np.ndarray, int, np.random.Generator], np.ndarray]
    description: str
    min_classes: int
    max_classes: int
    linearly_separable: bool


DATASETS: dict[str, DatasetSpec] = {
    "blobs": DatasetSpec(
        _blobs,
        N_("Round clouds of points, one per class, spaced on a circle: straight lines "
           "separate them."),
        2,
        6,
        True,
    ),
    "spiral": DatasetSpec(
        _spiral,
        N_("Arms that wind around the centre: no straight line can follow them."),
        2,
        6,
        False,
    ),
    "xor": DatasetSpec(
        _xor,
        N_("Two classes in opposite quadrants: no single line works, but the feature x1*x2 does."),
        2,
        2,
        False,
    ),
    "circles": DatasetSpec(
        _circles,
        N_("Rings around the same centre: x1^2 + x2^2 separates them, straight lines cannot."),
        2,
        6,
        False,
    ),
    "moons": DatasetSpec(
        _moons,
        N_("Two interleaved half moons: almost, but not quite, separable by a straight line."),
        2,
        2,
        False,
    ),
}


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _fraction(value, name: str, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, bool) or not 0.0 <= number <= high:
        raise ValueError(f"{name} must be a finite number from 0 to {high:g}, got {value!r}")
    return number


# ---------------------------------------------------------------------------
# Public functions
# ---------------------------------------------------------------------------


def make_dataset(
    name: str, n: int, *, classes: int = 3, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Draw a 2-D classification dataset from the ``DATASETS`` table.

    Every class gets ``floor(n/K)`` or ``ceil(n/K)`` points, and the points come in a
    seeded random order, so the first rows are as good a sample as the last ones.

    Parameters
    ----------
    name : str
        One of ``DATASETS``: blobs, spiral, xor, circles, moons.
    n : int
        Number of points, 2..``MAX_ROWS`` (100000) and at least ``classes``.
    classes : int, default 3
        K, within ``DATASETS[name].min_classes..max_classes`` (xor and moons: exactly 2).
    noise : float, default 0.1
        Standard deviation, 0..2, of the Gaussian jitter added to each coordinate.
        With a fixed seed only the jitter's size changes with ``noise``.
    seed : int, default 0
        Seed of ``np.random.default_rng``; the same arguments give the same arrays.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
        Points, roughly within ``[-1.5, 1.5]^2`` at low noise.
    y : ndarray, shape (n,), int64
        Labels in ``0..classes-1``.
    """
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(DATASETS)}; got {name!r}")
    spec = DATASETS[name]
    n = bounded_integer(n, "n", 2, MAX_ROWS)
    classes = bounded_integer(
        classes, "classes", spec.min_classes, spec.max_classes, f" for the {name} dataset"
    )
    if n < classes:
        raise ValueError(
            f"n must be at least classes ({classes}) so every class has a point, got {n}"
        )
    noise = _fraction(noise, "noise", MAX_NOISE)
    rng = np.random.default_rng(bounded_integer(seed, "seed", 0))

    # Cycling through the classes balances the counts; the permutation shuffles the order.
    y = rng.permutation(np.arange(n, dtype=np.int64) % classes)
    X = np.asarray(spec.generate(y, classes, rng), dtype=np.float64)
    if noise > 0:
        X = X + noise * rng.standard_normal((n, 2))
    return X, y


def add_quadratic_features(X) -> np.ndarray:
    """Append the degree-2 monomials to 2-D points, after checking them.

    The checked form of :func:`explorer.numerics.quadratic_features`.

    A linear classifier on these features draws conic-section boundaries in the plane,
    which separates xor (through ``x1*x2``) and circles (through ``x1^2 + x2^2``).

    Parameters
    ----------
    X : array_like, shape (N, 2)
        Finite points.

    Returns
    -------
    ndarray, shape (N, 5), float64
        Columns ``[x1, x2, x1^2, x2^2, x1*x2]``.
    """
    return feature_map(X, "quadratic")


def train_test_split(
    X, y, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split the rows of ``(X, y)`` at random (seeded) into a training and a test set.

    The test set gets ``round(test_fraction * N)`` rows, but when ``test_fraction > 0``
    and ``N >= 2`` both sets get at least one row. Rows come out in a shuffled order.

    Parameters
    ----------
    X : array_like, shape (N, D)
        Finite features, N >= 1.
    y : array_like, shape (N,)
        Integer labels.
    test_fraction : float, default 0.25
        In ``[0, MAX_TEST_FRACTION]`` (0.9); 0 gives an empty test set.
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    X_train : ndarray, shape (N - M, D)
    y_train : ndarray, shape (N - M,), int64
    X_test : ndarray, shape (M, D)
    y_test : ndarray, shape (M,), int64
    """
    X = as_float_array(X, "X", ndim=2)
    n = X.shape[0]
    if n == 0:
        raise ValueError("X must have at least one row")
    labels = np.asarray(y)
    if labels.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match X, got {labels.shape}")
    whole_floats = labels.dtype.kind == "f" and np.all(labels == np.round(labels))
    if labels.dtype.kind not in "iu" and not whole_floats:
        raise ValueError(f"y must hold integer class labels, got {labels.dtype} values")
    labels = labels.astype(np.int64)
    fraction = _fraction(test_fraction, "test_fraction", MAX_TEST_FRACTION)
    n_test = round(fraction * n)
    if fraction > 0 and n >= 2:
        n_test = min(max(n_test, 1), n - 1)
    order = np.random.default_rng(bounded_integer(seed, "seed", 0)).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], labels[train], X[test], labels[test]
