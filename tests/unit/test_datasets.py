"""Tests of the dataset generators, the quadratic features and the train/test split."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.datasets import (
    DATASETS,
    MAX_ROWS,
    add_quadratic_features,
    make_dataset,
    train_test_split,
)

NAMES = ["blobs", "spiral", "xor", "circles", "moons"]
ALLOWED = {"blobs": (2, 6), "spiral": (2, 6), "xor": (2, 2), "circles": (2, 6), "moons": (2, 2)}
NAME_CLASSES = [(name, k) for name in NAMES for k in range(ALLOWED[name][0], ALLOWED[name][1] + 1)]


# ---------------------------------------------------------------------------
# Helpers: independent geometric certificates
# ---------------------------------------------------------------------------


def _cross(o, a, b) -> float:
    """z-component of (a - o) x (b - o): > 0 when o, a, b turn counter-clockwise."""
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def _segments_cross(a, b, c, d) -> bool:
    """Whether the segments a-b and c-d properly intersect."""
    return _cross(a, b, c) * _cross(a, b, d) < 0 and _cross(c, d, a) * _cross(c, d, b) < 0


def _origin_in_triangle(a, b, c) -> bool:
    o = np.zeros(2)
    signs = [_cross(a, b, o), _cross(b, c, o), _cross(c, a, o)]
    return all(s > 0 for s in signs) or all(s < 0 for s in signs)


def _extreme(points: np.ndarray, direction) -> np.ndarray:
    return points[np.argmax(points @ np.asarray(direction, dtype=float))]


# ---------------------------------------------------------------------------
# The DATASETS table
# ---------------------------------------------------------------------------


def test_table_lists_the_documented_datasets_with_their_attributes():
    assert set(NAMES) <= set(DATASETS)
    for name, spec in DATASETS.items():
        assert callable(spec.generate), name
        assert isinstance(spec.description, str) and spec.description.strip(), name
        assert "\n" not in spec.description, name
        assert isinstance(spec.linearly_separable, bool), name
        assert 2 <= spec.min_classes <= spec.max_classes <= 6, name
    for name in NAMES:
        assert (DATASETS[name].min_classes, DATASETS[name].max_classes) == ALLOWED[name]


def test_only_blobs_are_linearly_separable_in_raw_features():
    flags = {name: DATASETS[name].linearly_separable for name in NAMES}
    assert flags == {
        "blobs": True,
        "spiral": False,
        "xor": False,
        "circles": False,
        "moons": False,
    }


def test_specs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DATASETS["blobs"].min_classes = 1


# ---------------------------------------------------------------------------
# make_dataset: shapes, determinism, balance, order
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "classes"), NAME_CLASSES)
@pytest.mark.parametrize("n", [7, 100, 301])
def test_shapes_dtypes_and_balanced_classes(name, classes, n):
    X, y = make_dataset(name, n, classes=classes, noise=0.2, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    counts = np.bincount(y, minlength=classes)
    assert counts.shape == (classes,), "labels must lie in 0..classes-1"
    assert counts.sum() == n
    assert set(counts.tolist()) <= {n // classes, -(-n // classes)}


@settings(max_examples=60, deadline=None)
@given(
    name_classes=st.sampled_from(NAME_CLASSES),
    extra=st.integers(0, 400),
    noise=st.floats(0.0, 2.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_class_appears_for_any_valid_arguments(name_classes, extra, noise, seed):
    name, classes = name_classes
    n = classes + extra
    X, y = make_dataset(name, n, classes=classes, noise=noise, seed=seed)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert np.all(np.isfinite(X))
    counts = np.bincount(y, minlength=classes)
    assert len(counts) == classes and counts.min() >= 1
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_gives_the_same_arrays(name):
    X1, y1 = make_dataset(name, 200, classes=2, noise=0.3, seed=11)
    X2, y2 = make_dataset(name, 200, classes=2, noise=0.3, seed=11)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("name", NAMES)
def test_different_seeds_give_different_points(name):
    X1, _ = make_dataset(name, 200, classes=2, noise=0.3, seed=1)
    X2, _ = make_dataset(name, 200, classes=2, noise=0.3, seed=2)
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("name", NAMES)
def test_points_come_in_a_shuffled_order(name):
    n = 400
    classes = ALLOWED[name][1]
    _, y = make_dataset(name, n, classes=classes, seed=5)
    assert not np.all(np.diff(y) >= 0), "labels must not be sorted"
    assert not np.array_equal(y, np.arange(n) % classes), "labels must not simply cycle"
    # Slicing off the first quarter must give a fair sample: every class, roughly balanced.
    first = np.bincount(y[: n // 4], minlength=classes)
    assert first.min() >= 0.4 * (n // 4) / classes


@pytest.mark.parametrize(("name", "classes"), NAME_CLASSES)
def test_data_fits_the_drawing_plane_and_is_roughly_centred(name, classes):
    X, _ = make_dataset(name, 2000, classes=classes, noise=0.0, seed=0)
    assert np.all(np.abs(X) <= 1.5)
    assert np.all(np.abs(X.mean(axis=0)) < 0.3)
    X, _ = make_dataset(name, 2000, classes=classes, noise=0.1, seed=0)
    assert np.mean(np.all(np.abs(X) <= 1.5, axis=1)) > 0.97


@pytest.mark.parametrize("name", NAMES)
def test_noise_only_scales_the_jitter(name):
    X0, y0 = make_dataset(name, 3000, classes=2, noise=0.0, seed=8)
    Xa, ya = make_dataset(name, 3000, classes=2, noise=0.2, seed=8)
    Xb, yb = make_dataset(name, 3000, classes=2, noise=0.6, seed=8)
    np.testing.assert_array_equal(y0, ya)
    np.testing.assert_array_equal(y0, yb)
    np.testing.assert_allclose((Xa - X0) / 0.2, (Xb - X0) / 0.6, atol=1e-9)
    # The noise is the standard deviation of the jitter on each coordinate.
    np.testing.assert_allclose((Xb - X0).std(axis=0), [0.6, 0.6], rtol=0.08)


def test_all_classes_appear_when_n_equals_classes():
    _, y = make_dataset("circles", 6, classes=6, seed=0)
    assert sorted(y.tolist()) == [0, 1, 2, 3, 4, 5]


def test_largest_n_is_allowed():
    X, y = make_dataset("blobs", MAX_ROWS, classes=4)
    assert X.shape == (MAX_ROWS, 2) and y.shape == (MAX_ROWS,)


# ---------------------------------------------------------------------------
# make_dataset: the exact shapes at noise 0
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("classes", range(2, 7))
def test_noiseless_blobs_are_single_points_evenly_spaced_on_a_circle(classes):
    X, y = make_dataset("blobs", 60, classes=classes, noise=0.0, seed=1)
    centres = np.array([X[y == k][0] for k in range(classes)])
    for k in range(classes):
        np.testing.assert_array_equal(X[y == k], np.broadcast_to(centres[k], X[y == k].shape))
    radii = np.hypot(centres[:, 0], centres[:, 1])
    np.testing.assert_allclose(radii, radii[0], rtol=1e-12)
    assert radii[0] > 0.5
    angles = np.sort(np.arctan2(centres[:, 1], centres[:, 0]))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    np.testing.assert_allclose(gaps, 2 * np.pi / classes, rtol=1e-9)


@pytest.mark.parametrize("classes", range(2, 7))
def test_noiseless_circles_have_exactly_one_radius_per_class(classes):
    X, y = make_dataset("circles", 600, classes=classes, noise=0.0, seed=2)
    radii = np.hypot(X[:, 0], X[:, 1])
    per_class = []
    for k in range(classes):
        ring = radii[y == k]
        np.testing.assert_allclose(ring, ring[0], rtol=1e-12)
        per_class.append(ring[0])
    assert len(np.unique(np.round(radii, 9))) == classes
    assert np.min(np.diff(np.sort(per_class))) > 0.1, "rings must be visibly apart"


@pytest.mark.parametrize("classes", range(2, 7))
def test_noiseless_spiral_arms_are_one_curve_rotated_evenly(classes):
    X, y = make_dataset("spiral", 400 * classes, classes=classes, noise=0.0, seed=4)
    slopes, intercepts = [], []
    for k in range(classes):
        arm = X[y == k]
        r = np.hypot(arm[:, 0], arm[:, 1])
        order = np.argsort(r)
        r = r[order]
        theta = np.unwrap(np.arctan2(arm[order, 1], arm[order, 0]))
        slope, intercept = np.polyfit(r, theta, 1)
        np.testing.assert_allclose(theta, slope * r + intercept, atol=1e-8)
        slopes.append(slope)
        intercepts.append(intercept)
        assert np.ptp(theta) > np.pi / 2, "an arm must wind, not be a straight ray"
    np.testing.assert_allclose(slopes, slopes[0], rtol=1e-8)
    offsets = (np.array(intercepts) - intercepts[0]) % (2 * np.pi)
    np.testing.assert_allclose(offsets, 2 * np.pi * np.arange(classes) / classes, atol=1e-8)


def test_noiseless_xor_label_is_the_sign_of_x1_times_x2():
    X, y = make_dataset("xor", 1000, classes=2, noise=0.0, seed=6)
    product = X[:, 0] * X[:, 1]
    assert np.all(product != 0)
    same_sign = product > 0
    # One class holds the same-sign quadrants, the other the opposite-sign ones.
    assert np.all(same_sign == (y == y[same_sign][0]))
    assert set(y[same_sign].tolist()) != set(y[~same_sign].tolist())
    quadrants = set(zip(np.sign(X[:, 0]).tolist(), np.sign(X[:, 1]).tolist(), strict=True))
    assert len(quadrants) == 4


def test_noiseless_moons_are_two_half_circles_of_equal_radius():
    X, y = make_dataset("moons", 1000, classes=2, noise=0.0, seed=7)
    centres = []
    for k in range(2):
        points = X[y == k]
        # Least-squares circle: x^2 + y^2 = 2 a x + 2 b y + c, radius^2 = c + a^2 + b^2.
        A = np.column_stack([2 * points, np.ones(len(points))])
        (a, b, c), *_ = np.linalg.lstsq(A, (points**2).sum(axis=1), rcond=None)
        radius = np.hypot(points[:, 0] - a, points[:, 1] - b)
        np.testing.assert_allclose(radius, np.sqrt(c + a * a + b * b), rtol=1e-9)
        centres.append((a, b, radius[0]))
        # A half circle: every point on one side of the horizontal line through its centre.
        side = np.sign(points[:, 1] - b)
        assert np.all(side >= 0) or np.all(side <= 0)
    (a0, b0, r0), (a1, b1, r1) = centres
    assert r0 == pytest.approx(r1, rel=1e-9) and r0 > 0.5
    assert np.hypot(a1 - a0, b1 - b0) > 0.5


# ---------------------------------------------------------------------------
# Linear separability
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("classes", range(2, 7))
def test_blobs_are_separated_by_a_linear_classifier(classes):
    X, y = make_dataset("blobs", 600, classes=classes, noise=0.1, seed=9)
    means = np.array([X[y == k].mean(axis=0) for k in range(classes)])
    # The nearest-mean rule is linear: argmax_k  m_k . x - |m_k|^2 / 2.
    scores = X @ means.T - 0.5 * (means**2).sum(axis=1)
    assert np.array_equal(np.argmax(scores, axis=1), y)


def test_blobs_are_separable_by_a_perceptron():
    X, y = make_dataset("blobs", 300, classes=3, noise=0.15, seed=10)
    features = np.column_stack([X, np.ones(len(X))])
    W = np.zeros((3, 3))
    for _ in range(200):
        mistakes = 0
        for x, label in zip(features, y, strict=True):
            guess = int(np.argmax(W.T @ x))
            if guess != label:
                W[:, label] += x
                W[:, guess] -= x
                mistakes += 1
        if mistakes == 0:
            break
    assert np.array_equal(np.argmax(features @ W, axis=1), y)


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_xor_is_not_separable_by_any_line_in_raw_features(noise):
    X, y = make_dataset("xor", 1000, classes=2, noise=noise, seed=12)
    a_class = X[y == 0]
    b_class = X[y == 1]
    # Find the class whose points reach far along the diagonal x1 = x2.
    if _extreme(a_class, (1, 1)) @ np.ones(2) < _extreme(b_class, (1, 1)) @ np.ones(2):
        a_class, b_class = b_class, a_class
    a1, a2 = _extreme(a_class, (1, 1)), _extreme(a_class, (-1, -1))
    b1, b2 = _extreme(b_class, (1, -1)), _extreme(b_class, (-1, 1))
    # Two crossing segments with end points in different classes: the convex hulls meet,
    # so no line has every point of one class on one side and the other on the other.
    assert _segments_cross(a1, a2, b1, b2)


def test_inner_circle_is_not_separable_by_any_line_from_the_outer_ring():
    X, y = make_dataset("circles", 600, classes=2, noise=0.05, seed=13)
    for k in range(2):
        ring = X[y == k]
        # The origin lies inside a triangle of points of each ring, so the hulls meet.
        corners = [
            _extreme(ring, (np.cos(a), np.sin(a))) for a in (0, 2 * np.pi / 3, 4 * np.pi / 3)
        ]
        assert _origin_in_triangle(*corners)


def test_xor_becomes_linearly_separable_with_quadratic_features():
    X, y = make_dataset("xor", 1000, classes=2, noise=0.0, seed=14)
    Q = add_quadratic_features(X)
    w = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    predicted = (Q @ w > 0).astype(np.int64)
    assert np.array_equal(predicted, y) or np.array_equal(predicted, 1 - y)
    X, y = make_dataset("xor", 1000, classes=2, noise=0.03, seed=14)
    predicted = (add_quadratic_features(X) @ w > 0).astype(np.int64)
    accuracy = max(np.mean(predicted == y), np.mean(predicted != y))
    assert accuracy > 0.95


def test_circles_become_linearly_separable_with_quadratic_features():
    X, y = make_dataset("circles", 600, classes=2, noise=0.0, seed=15)
    squared_radius = add_quadratic_features(X) @ np.array([0.0, 0.0, 1.0, 1.0, 0.0])
    assert squared_radius[y == 0].max() < squared_radius[y == 1].min()


# ---------------------------------------------------------------------------
# make_dataset: bad arguments
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spirals", "Blobs", "", None, 3])
def test_unknown_name_lists_the_valid_ones(name):
    with pytest.raises(ValueError, match=r"name must be one of blobs, spiral, xor, circles, moons"):
        make_dataset(name, 100)


@pytest.mark.parametrize("name", ["xor", "moons"])
@pytest.mark.parametrize("classes", [1, 3, 6])
def test_two_class_datasets_reject_other_class_counts(name, classes):
    with pytest.raises(
        ValueError, match=rf"classes must be 2 for the {name} dataset, got {classes}"
    ):
        make_dataset(name, 100, classes=classes)


@pytest.mark.parametrize("name", ["blobs", "spiral", "circles"])
@pytest.mark.parametrize("classes", [0, 1, 7, 10, 2.0, "3", True, None])
def test_multiclass_datasets_allow_two_to_six_classes(name, classes):
    with pytest.raises(ValueError, match=rf"classes must be an integer from 2 to 6 for the {name}"):
        make_dataset(name, 100, classes=classes)


@pytest.mark.parametrize("n", [-5, 0, 1, MAX_ROWS + 1, 2.5, 100.0, "100", True, None])
def test_n_must_be_an_integer_in_range(n):
    with pytest.raises(ValueError, match=r"n must be an integer from 2 to 100000, got"):
        make_dataset("blobs", n)


def test_n_must_be_at_least_classes():
    with pytest.raises(ValueError, match=r"n must be at least classes \(5\)"):
        make_dataset("blobs", 4, classes=5)


@pytest.mark.parametrize("noise", [-0.01, 2.01, float("nan"), float("inf"), "lots", None, True])
def test_noise_must_be_a_finite_number_from_0_to_2(noise):
    with pytest.raises(ValueError, match=r"noise must be a finite number from 0 to 2"):
        make_dataset("blobs", 100, noise=noise)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", None])
def test_seed_must_be_a_non_negative_integer(seed):
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer"):
        make_dataset("blobs", 100, seed=seed)


def test_numpy_integers_are_accepted():
    X, y = make_dataset("spiral", np.int64(50), classes=np.int32(4), seed=np.uint8(3))
    assert X.shape == (50, 2) and set(y.tolist()) == {0, 1, 2, 3}


# ---------------------------------------------------------------------------
# add_quadratic_features
# ---------------------------------------------------------------------------


def test_quadratic_features_by_hand():
    X = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -4.0]])
    expected = np.array(
        [
            [1.0, 2.0, 1.0, 4.0, 2.0],
            [-3.0, 0.5, 9.0, 0.25, -1.5],
            [0.0, -4.0, 0.0, 16.0, -0.0],
        ]
    )
    result = add_quadratic_features(X)
    assert result.shape == (3, 5) and result.dtype == np.float64
    np.testing.assert_array_equal(result, expected)


@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
        min_size=0,
        max_size=30,
    )
)
def test_quadratic_features_keep_the_raw_columns_and_add_the_products(points):
    X = np.array(points, dtype=np.float64).reshape(-1, 2)
    Q = add_quadratic_features(X)
    assert Q.shape == (len(points), 5)
    for row, (x1, x2) in zip(Q, points, strict=True):
        assert row.tolist() == [x1, x2, x1 * x1, x2 * x2, x1 * x2]


def test_quadratic_features_accept_lists():
    np.testing.assert_array_equal(add_quadratic_features([[2, 3]]), [[2.0, 3.0, 4.0, 9.0, 6.0]])


@pytest.mark.parametrize(
    "X",
    [
        np.zeros((4, 3)),
        np.zeros((4, 1)),
        np.zeros(2),
        np.zeros((2, 2, 2)),
        [[1.0, np.nan]],
        [[np.inf, 0.0]],
        [["a", "b"]],
    ],
)
def test_quadratic_features_reject_bad_X(X):
    with pytest.raises(ValueError, match=r"^X must"):
        add_quadratic_features(X)


# ---------------------------------------------------------------------------
# train_test_split
# ---------------------------------------------------------------------------


def _numbered(n: int, d: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose first column is their index, so each row can be traced."""
    X = np.column_stack([np.arange(n, dtype=float)] + [np.full(n, float(j)) for j in range(1, d)])
    return X, np.arange(n) % 3


def test_split_sizes_shapes_and_dtypes():
    X, y = _numbered(100, 3)
    X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=0.25, seed=0)
    assert X_train.shape == (75, 3) and y_train.shape == (75,)
    assert X_test.shape == (25, 3) and y_test.shape == (25,)
    assert y_train.dtype == np.int64 and y_test.dtype == np.int64
    assert X_train.dtype == np.float64 and X_test.dtype == np.float64


def test_split_is_disjoint_covers_every_row_and_keeps_rows_with_their_labels():
    X, y = _numbered(101)
    X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=0.3, seed=4)
    train_ids = X_train[:, 0].astype(int)
    test_ids = X_test[:, 0].astype(int)
    assert not set(train_ids) & set(test_ids)
    assert sorted([*train_ids, *test_ids]) == list(range(101))
    np.testing.assert_array_equal(y_train, y[train_ids])
    np.testing.assert_array_equal(y_test, y[test_ids])
    np.testing.assert_array_equal(X_train, X[train_ids])


def test_split_is_deterministic_and_depends_on_the_seed():
    X, y = _numbered(200)
    first = train_test_split(X, y, test_fraction=0.25, seed=7)
    again = train_test_split(X, y, test_fraction=0.25, seed=7)
    other = train_test_split(X, y, test_fraction=0.25, seed=8)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert set(first[2][:, 0]) != set(other[2][:, 0])


def test_split_is_random_not_a_slice():
    X, y = _numbered(400)
    _, _, X_test, _ = train_test_split(X, y, test_fraction=0.25, seed=0)
    ids = X_test[:, 0]
    assert ids.min() < 100 and ids.max() >= 300


def test_zero_test_fraction_gives_an_empty_test_set():
    X, y = _numbered(10, 4)
    X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=0)
    assert X_train.shape == (10, 4) and y_train.shape == (10,)
    assert X_test.shape == (0, 4) and y_test.shape == (0,)
    assert y_test.dtype == np.int64


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(2, 300),
    fraction=st.floats(1e-6, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_both_splits_are_non_empty_when_there_are_two_rows(n, fraction, seed):
    X, y = _numbered(n)
    X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=fraction, seed=seed)
    assert len(X_train) >= 1 and len(X_test) >= 1
    assert len(X_train) + len(X_test) == n
    assert len(y_train) == len(X_train) and len(y_test) == len(X_test)
    assert abs(len(X_test) - fraction * n) <= 1


def test_single_row_goes_to_training():
    X_train, y_train, X_test, _ = train_test_split([[1.0, 2.0]], [1], test_fraction=0.5)
    assert X_train.shape == (1, 2) and y_train.tolist() == [1] and X_test.shape == (0, 2)


@pytest.mark.parametrize("fraction", [-0.1, 0.95, 1.0, float("nan"), "half", None])
def test_split_rejects_bad_test_fraction(fraction):
    X, y = _numbered(10)
    with pytest.raises(ValueError, match=r"test_fraction must be a finite number from 0 to 0\.9"):
        train_test_split(X, y, test_fraction=fraction)


def test_split_rejects_bad_X_and_y():
    X, y = _numbered(10)
    with pytest.raises(ValueError, match=r"^X must"):
        train_test_split(X[:, 0], y)
    with pytest.raises(ValueError, match=r"^X must"):
        train_test_split(np.zeros((0, 2)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match=r"^y must have shape \(10,\)"):
        train_test_split(X, y[:9])
    with pytest.raises(ValueError, match=r"^y must hold integer class labels"):
        train_test_split(X, y + 0.5)
    with pytest.raises(ValueError, match=r"^seed must"):
        train_test_split(X, y, seed=-3)
