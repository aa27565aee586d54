"""The /training pipeline (settings -> data -> run -> what the page shows), checked against
the library's own functions called directly and against brute-force recomputation."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.datasets import add_quadratic_features, make_dataset
from explorer.losses import loss_and_grad
from explorer.optim import train
from explorer.page_logic.training_run import (
    MAX_CUSTOM_CLASSES,
    MAX_CUSTOM_ROWS,
    DataSettings,
    TrainSettings,
    compute_run,
    frame_steps,
    initial_params,
    make_data,
    parse_custom_points,
    plane_bounds,
)
from explorer.page_logic.training_step import (
    TABLE_ORDERS,
    confusion_matrix,
    example_table,
    predictions,
    pulls,
)
from explorer.settings import specs
from explorer.softmax import softmax

SMALL = DataSettings(n=120, classes=3, noise=0.3, seed=4)


@pytest.fixture(scope="module")
def small():
    data = make_data(SMALL)
    return data, compute_run(data, TrainSettings(optimizer="momentum", lr=0.3, steps=40))


def test_settings_defaults_are_the_page_defaults():
    d, t = DataSettings(), TrainSettings()
    assert (d.dataset, d.n, d.classes, d.noise, d.seed, d.test, d.features) == (
        specs.DATASET.default, specs.POINTS.default, specs.CLASSES.default,
        specs.NOISE.default, specs.DATA_SEED.default, specs.TEST_FRACTION.default,
        specs.FEATURES.default,
    )
    assert (t.optimizer, t.lr, t.steps, t.reg, t.batch, t.init) == (
        specs.OPTIMIZER.default, specs.LEARNING_RATE.default, specs.STEPS.default,
        specs.TRAIN_REG.default, specs.BATCH.default, specs.INIT_SEED.default,
    )


def test_make_data_splits_the_library_dataset_and_keeps_every_point():
    data = make_data(SMALL)
    X, y = make_dataset("blobs", 120, classes=3, noise=0.3, seed=4)
    assert np.array_equal(data.X, X) and np.array_equal(data.y, y)
    assert data.X_train.shape[0] + data.X_test.shape[0] == 120
    assert data.X_test.shape[0] == round(0.25 * 120)
    both = np.vstack([data.X_train, data.X_test])
    # The split is a permutation of the points: same rows, each used once.
    assert np.array_equal(np.sort(both, axis=0), np.sort(X, axis=0))
    assert data.classes == 3 and data.dim == 2
    x_min, x_max, y_min, y_max = data.bounds
    assert x_max - x_min == pytest.approx(y_max - y_min)
    assert (X[:, 0] > x_min).all() and (X[:, 0] < x_max).all()
    assert (X[:, 1] > y_min).all() and (X[:, 1] < y_max).all()


def test_quadratic_features_use_the_library_feature_map():
    data = make_data(DataSettings(dataset="circles", n=60, features="quadratic"))
    assert np.array_equal(data.F_train, add_quadratic_features(data.X_train))
    assert data.dim == 5


def test_custom_points_are_used_as_given():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5], [0.5, 2.0]])
    y = np.array([0, 1, 3, 1])
    data = make_data(DataSettings(dataset="custom", test=0.25), (X, y))
    assert data.classes == 4  # labels keep their values: K = max label + 1
    assert np.array_equal(data.X, X)
    with pytest.raises(ValueError, match="custom"):
        make_data(DataSettings(dataset="custom"))


def test_plane_bounds_is_a_square_holding_the_points():
    X = np.array([[-3.0, 0.2], [5.0, 0.4]])
    x_min, x_max, y_min, y_max = plane_bounds(X)
    assert x_max - x_min == pytest.approx(y_max - y_min)
    assert x_min < -3.0 and x_max > 5.0 and y_min < 0.2 and y_max > 0.4


def test_the_run_is_train_called_with_the_pages_start(small):
    data, run = small
    W0, b0 = initial_params(2, 3, 0)
    expected = train(data.F_train, data.y_train, W0, b0, optimizer="momentum", lr=0.3,
                     steps=40)
    assert np.array_equal(run.trajectory.W, expected.W)
    assert np.array_equal(run.train_loss, expected.loss)
    assert run.steps_taken == 40 and run.diverged_at is None
    assert run.final_loss == expected.loss[-1]


def test_sgd_uses_the_batch_and_the_init_seed_orders_the_batches():
    data = make_data(SMALL)
    settings = TrainSettings(optimizer="sgd", lr=0.2, steps=15, batch=8, init=3)
    run = compute_run(data, settings)
    W0, b0 = initial_params(2, 3, 3)
    expected = train(data.F_train, data.y_train, W0, b0, optimizer="sgd", lr=0.2, steps=15,
                     batch_size=8, seed=3)
    assert np.array_equal(run.train_loss, expected.loss)
    # Every other optimizer is full batch whatever the batch control says.
    assert TrainSettings(optimizer="adam", batch=8).batch_size is None


def test_curves_match_the_library_loss_and_a_direct_accuracy(small):
    data, run = small
    reg = 0.0
    for index, step in enumerate(run.curve_steps):
        W, b = run.trajectory.W[step], run.trajectory.b[step]
        test_loss, _, _ = loss_and_grad(W, b, data.F_test, data.y_test, reg)
        assert run.test_loss[index] == pytest.approx(test_loss, rel=1e-12)
        train_hits = np.mean((data.F_train @ W + b).argmax(axis=1) == data.y_train)
        test_hits = np.mean((data.F_test @ W + b).argmax(axis=1) == data.y_test)
        assert run.train_accuracy[index] == train_hits
        assert run.test_accuracy[index] == test_hits


def test_test_loss_includes_the_same_regulariser():
    data = make_data(SMALL)
    run = compute_run(data, TrainSettings(lr=0.5, steps=10, reg=0.3))
    W, b = run.trajectory.W[-1], run.trajectory.b[-1]
    expected, _, _ = loss_and_grad(W, b, data.F_test, data.y_test, 0.3)
    assert run.test_loss[-1] == pytest.approx(expected, rel=1e-12)


def test_no_test_split_gives_empty_test_curves():
    data = make_data(DataSettings(n=40, test=0.0))
    run = compute_run(data, TrainSettings(steps=5))
    assert data.X_test.shape[0] == 0
    assert run.test_loss.size == 0 and run.test_accuracy.size == 0
    assert run.train_accuracy.size == run.curve_steps.size


def test_progress_is_reported_up_to_one():
    seen = []
    compute_run(make_data(SMALL), TrainSettings(steps=300), progress=seen.append)
    assert seen[-1] == 1.0 and all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen) and len(seen) > 2


def test_a_surely_diverging_run_stops_with_finite_curves():
    # lr * reg > 2: W <- (1 - lr*reg) W - ... grows geometrically (see tests/app/test_extremes).
    run = compute_run(make_data(SMALL), TrainSettings(lr=10.0, reg=1.0, steps=200))
    assert run.diverged_at is not None and run.steps_taken == run.diverged_at - 1
    for curve in (run.train_loss, run.test_loss, run.train_accuracy, run.test_accuracy):
        assert np.isfinite(curve).all()
    assert run.curve_steps[-1] == run.steps_taken


@pytest.mark.parametrize(("steps", "limit"), [(0, 60), (1, 60), (100, 60), (2000, 60), (10, 400)])
def test_frame_steps_are_increasing_and_span_the_run(steps, limit):
    frames = frame_steps(steps, limit)
    assert frames[0] == 0 and frames[-1] == steps
    assert len(frames) == min(steps + 1, limit)
    assert np.all(np.diff(frames) > 0)


def test_example_table_matches_softmax_and_cross_entropy(small):
    data, run = small
    step = 17
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    full = example_table(data, run, step, rows=10**6)
    n = data.X_train.shape[0]
    assert len(full["loss"]) == n
    expected_loss, _, _ = loss_and_grad(W, b, data.F_train, data.y_train)
    assert np.mean(full["loss"]) == pytest.approx(expected_loss, rel=1e-12)
    P = softmax(data.F_train @ W + b)
    for k in range(3):
        assert np.allclose(full[f"p{k}"], P[:, k], rtol=0, atol=1e-15)
        assert np.allclose(full[f"s{k}"], (data.F_train @ W + b)[:, k])
    assert np.array_equal(full["predicted"], P.argmax(axis=1))
    assert len(example_table(data, run, step)["x1"]) == 50


def test_pulls_average_to_minus_the_data_gradient(small):
    data, run = small
    step = 5
    W, b = run.trajectory.W[step], run.trajectory.b[step]
    _, dW, _ = loss_and_grad(W, b, data.F_train, data.y_train, 0.0)
    for k in range(3):
        result = pulls(data, run, step, k)
        assert np.allclose(result.mean_pull, -dW[:2, k], rtol=1e-12, atol=1e-15)
        assert np.array_equal(result.weights, W[:2, k])
        # Each pull lies along its point: p_k - y_k is a scalar.
        cross = result.pull[:, 0] * data.X_train[:, 1] - result.pull[:, 1] * data.X_train[:, 0]
        assert np.allclose(cross, 0.0, atol=1e-12)


def test_confusion_matrix_counts_every_pair(small):
    data, run = small
    y_true, y_pred = predictions(data, run, 40, "test")
    matrix = confusion_matrix(y_true, y_pred, 3)
    assert matrix.sum() == y_true.size
    for i in range(3):
        for j in range(3):
            assert matrix[i, j] == np.sum((y_true == i) & (y_pred == j))
    assert np.trace(matrix) / y_true.size == run.test_accuracy[-1]


def test_custom_points_within_the_page_limits():
    X, y = parse_custom_points("x1,x2,label\n0,0,0\n1,1,1\n2,2,5\n")
    assert X.shape == (3, 2) and list(y) == [0, 1, 5]
    too_many_classes = f"0,0,0\n1,1,1\n2,2,{MAX_CUSTOM_CLASSES}\n"
    with pytest.raises(ValueError, match=f"at most {MAX_CUSTOM_CLASSES} classes"):
        parse_custom_points(too_many_classes)
    rows = "\n".join(f"{i},{i},{i % 2}" for i in range(MAX_CUSTOM_ROWS + 1))
    with pytest.raises(ValueError, match="at most 5,000 points"):
        parse_custom_points(rows)
    with pytest.raises(ValueError, match="empty"):
        parse_custom_points("")


def test_example_table_pages_through_every_point_in_each_order(small):
    data, run = small
    step = run.steps_taken
    total = data.X_train.shape[0]
    full = example_table(data, run, step, rows=10**6)
    for order in TABLE_ORDERS:
        pages = [example_table(data, run, step, rows=7, order=order, page=page)
                 for page in range(-(-total // 7))]
        points = np.concatenate([page["point"] for page in pages])
        assert sorted(points) == list(range(total)), order  # every point exactly once
        losses = np.concatenate([page["loss"] for page in pages])
        assert np.allclose(losses, full["loss"][points])
        if order == "highest loss first":
            assert (np.diff(losses) <= 0).all()
        elif order == "lowest loss first":
            assert (np.diff(losses) >= 0).all()
        else:
            assert list(points) == list(range(total))
    assert example_table(data, run, step, rows=7, page=10**4)["point"].size == 0
    with pytest.raises(ValueError, match="order"):
        example_table(data, run, step, order="random")


def test_input_scale_multiplies_every_point_and_the_plane():
    plain = make_data(DataSettings(n=60))
    scaled = make_data(DataSettings(n=60, scale=10))
    assert np.array_equal(scaled.X, plain.X * 10.0)
    assert np.array_equal(scaled.y, plain.y)
    assert scaled.bounds[1] > 5 * plain.bounds[1]
