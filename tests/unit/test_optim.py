"""train() and the optimizers: shapes, update rules written out by hand, batches, divergence."""

from __future__ import annotations

import re

import numpy as np
import pytest

from explorer.losses import loss_and_grad
from explorer.optim import OPTIMIZER_DESCRIPTIONS, OPTIMIZERS, Trajectory, train


def blobs(n_per_class=20, classes=3, seed=0, spread=0.3):
    """Well separated Gaussian clusters on a circle of radius 3 (D=2)."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    y = np.repeat(np.arange(classes), n_per_class)
    X = centres[y] + spread * rng.normal(size=(y.size, 2))
    return X, y


def start(d=2, k=3, seed=1):
    rng = np.random.default_rng(seed)
    return 0.5 * rng.normal(size=(d, k)), 0.5 * rng.normal(size=k)


def epoch_batches(n, batch_size, seed):
    """The documented batch order: a fresh permutation per epoch, consecutive slices."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            yield order[i : i + batch_size]


def test_optimizer_table_is_complete():
    assert OPTIMIZERS == ("gd", "sgd", "momentum", "nesterov", "adam", "rmsprop")
    assert set(OPTIMIZER_DESCRIPTIONS) == set(OPTIMIZERS)
    assert all(isinstance(text, str) and text for text in OPTIMIZER_DESCRIPTIONS.values())


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_trajectory_shapes_and_start(optimizer):
    X, y = blobs()
    W0, b0 = start()
    traj = train(X, y, W0, b0, optimizer=optimizer, lr=0.05, steps=7, batch_size=16)
    assert isinstance(traj, Trajectory)
    assert traj.W.shape == (8, 2, 3)
    assert traj.b.shape == (8, 3)
    assert traj.loss.shape == (8,)
    assert traj.steps == 7
    assert traj.diverged_at is None
    np.testing.assert_array_equal(traj.W[0], W0)
    np.testing.assert_array_equal(traj.b[0], b0)
    assert not np.array_equal(traj.W[7], W0)
    assert not traj.W.flags.writeable and not traj.loss.flags.writeable


def test_train_does_not_modify_its_inputs():
    X, y = blobs()
    W0, b0 = start()
    W_copy, b_copy = W0.copy(), b0.copy()
    train(X, y, W0, b0, optimizer="adam", steps=5)
    np.testing.assert_array_equal(W0, W_copy)
    np.testing.assert_array_equal(b0, b_copy)


@pytest.mark.parametrize(("optimizer", "batch_size"), [("gd", None), ("sgd", 7), ("adam", 10)])
def test_every_recorded_loss_is_the_full_data_loss(optimizer, batch_size):
    X, y = blobs(seed=3)
    W0, b0 = start()
    reg = 0.2
    traj = train(X, y, W0, b0, optimizer=optimizer, lr=0.1, steps=6, reg=reg, batch_size=batch_size)
    expected = [loss_and_grad(W, b, X, y, reg)[0] for W, b in zip(traj.W, traj.b, strict=True)]
    np.testing.assert_allclose(traj.loss, expected, rtol=1e-12, atol=0)
    assert traj.loss[0] == pytest.approx(loss_and_grad(W0, b0, X, y, reg)[0], rel=1e-14)


def test_gd_decreases_the_loss_monotonically_on_separable_data():
    X, y = blobs(seed=2)
    traj = train(X, y, np.zeros((2, 3)), np.zeros(3), optimizer="gd", lr=0.05, steps=200)
    assert np.all(np.diff(traj.loss) < 0)
    assert traj.loss[-1] < 0.2 * traj.loss[0]
    predictions = np.argmax(X @ traj.W[-1] + traj.b[-1], axis=1)
    assert np.mean(predictions == y) == 1.0


def test_gd_matches_a_hand_written_loop():
    X, y = blobs(seed=4)
    W, b = start()
    lr, reg = 0.3, 0.05
    traj = train(X, y, W, b, optimizer="gd", lr=lr, steps=10, reg=reg)
    for t in range(1, 11):
        loss, dW, db = loss_and_grad(W, b, X, y, reg)
        assert traj.loss[t - 1] == pytest.approx(loss, rel=1e-12)
        W, b = W - lr * dW, b - lr * db
        np.testing.assert_allclose(traj.W[t], W, rtol=0, atol=1e-13)
        np.testing.assert_allclose(traj.b[t], b, rtol=0, atol=1e-13)


def reference_run(optimizer, X, y, W, b, *, steps, lr, reg, mu, betas, eps, batches=None):
    """docs/math.md section 9's update rules written out directly on (W, b), one at a time."""
    b1, b2 = betas
    state = {}
    Ws, bs = [W], [b]
    for t in range(1, steps + 1):
        idx = next(batches) if batches is not None else slice(None)
        _, dW, db = loss_and_grad(W, b, X[idx], y[idx], reg)
        new = []
        for name, theta, g in (("W", W, dW), ("b", b, db)):
            if optimizer in ("gd", "sgd"):
                theta = theta - lr * g
            elif optimizer in ("momentum", "nesterov"):
                v = g.copy() if t == 1 else mu * state[name] + g
                state[name] = v
                step = v if optimizer == "momentum" else g + mu * v
                theta = theta - lr * step
            elif optimizer == "adam":
                m, s = state.get(name, (np.zeros_like(g), np.zeros_like(g)))
                m = b1 * m + (1 - b1) * g
                s = b2 * s + (1 - b2) * g * g
                state[name] = (m, s)
                theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(s / (1 - b2**t)) + eps)
            elif optimizer == "rmsprop":
                s = 0.99 * state.get(name, np.zeros_like(g)) + 0.01 * g * g
                state[name] = s
                theta = theta - lr * g / (np.sqrt(s) + eps)
            new.append(theta)
        W, b = new
        Ws.append(W)
        bs.append(b)
    return np.array(Ws), np.array(bs)


HYPER = {"lr": 0.07, "reg": 0.1, "momentum": 0.8, "betas": (0.8, 0.95), "eps": 1e-3}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_each_optimizer_follows_its_update_rule(optimizer):
    X, y = blobs(seed=5)
    W0, b0 = start(seed=6)
    traj = train(X, y, W0, b0, optimizer=optimizer, steps=5, **HYPER)
    Ws, bs = reference_run(
        optimizer,
        X,
        y,
        W0,
        b0,
        steps=5,
        lr=HYPER["lr"],
        reg=HYPER["reg"],
        mu=HYPER["momentum"],
        betas=HYPER["betas"],
        eps=HYPER["eps"],
    )
    np.testing.assert_allclose(traj.W, Ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.b, bs, rtol=0, atol=1e-12)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam", "rmsprop"])
def test_mini_batches_follow_the_documented_order(optimizer):
    X, y = blobs(n_per_class=4, seed=7)  # N = 12, batch 5: slices of 5, 5, 2, then a new epoch
    W0, b0 = start(seed=8)
    traj = train(X, y, W0, b0, optimizer=optimizer, steps=8, batch_size=5, seed=11, **HYPER)
    Ws, bs = reference_run(
        optimizer,
        X,
        y,
        W0,
        b0,
        steps=8,
        lr=HYPER["lr"],
        reg=HYPER["reg"],
        mu=HYPER["momentum"],
        betas=HYPER["betas"],
        eps=HYPER["eps"],
        batches=epoch_batches(12, 5, 11),
    )
    np.testing.assert_allclose(traj.W, Ws, rtol=0, atol=1e-12)
    np.testing.assert_allclose(traj.b, bs, rtol=0, atol=1e-12)


def test_sgd_is_deterministic_for_a_seed_and_depends_on_it():
    X, y = blobs(seed=9)
    W0, b0 = start()
    first = train(X, y, W0, b0, optimizer="sgd", steps=20, batch_size=8, seed=3)
    again = train(X, y, W0, b0, optimizer="sgd", steps=20, batch_size=8, seed=3)
    other = train(X, y, W0, b0, optimizer="sgd", steps=20, batch_size=8, seed=4)
    np.testing.assert_array_equal(first.W, again.W)
    np.testing.assert_array_equal(first.loss, again.loss)
    assert np.abs(first.W[-1] - other.W[-1]).max() > 1e-6


def test_full_batch_cases_coincide():
    X, y = blobs(seed=10)
    W0, b0 = start()
    gd = train(X, y, W0, b0, optimizer="gd", steps=10)
    gd_batch = train(X, y, W0, b0, optimizer="gd", steps=10, batch_size=4)
    sgd_none = train(X, y, W0, b0, optimizer="sgd", steps=10)
    sgd_big = train(X, y, W0, b0, optimizer="sgd", steps=10, batch_size=len(y))
    sgd_small = train(X, y, W0, b0, optimizer="sgd", steps=10, batch_size=4)
    for traj in (gd_batch, sgd_none, sgd_big):
        np.testing.assert_array_equal(traj.W, gd.W)
        np.testing.assert_array_equal(traj.loss, gd.loss)
    assert np.abs(sgd_small.W[-1] - gd.W[-1]).max() > 1e-6


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adam", "rmsprop"])
def test_divergence_stops_early_and_keeps_values_finite(optimizer):
    rng = np.random.default_rng(11)
    X = 1e3 * rng.normal(size=(40, 2))  # badly scaled and not separable (random labels)
    y = rng.integers(0, 3, 40)
    traj = train(X, y, np.zeros((2, 3)), np.zeros(3), optimizer=optimizer, lr=1e4, steps=50)
    assert traj.diverged_at is not None
    assert 1 <= traj.diverged_at <= 50
    assert traj.steps == traj.diverged_at - 1 < 50
    assert len(traj.loss) == traj.diverged_at
    for array in (traj.W, traj.b, traj.loss):
        assert np.all(np.isfinite(array))


def test_divergence_reports_the_step_of_the_first_bad_iterate():
    rng = np.random.default_rng(0)
    X = 10 * rng.normal(size=(30, 2))
    y = rng.integers(0, 3, 30)
    traj = train(X, y, np.zeros((2, 3)), np.zeros(3), lr=1e5, steps=20)
    # Step 1 lands at a large but recordable loss; step 2 overshoots past 1e6 * loss[0].
    assert traj.diverged_at == 2
    assert traj.steps == 1
    assert traj.loss[1] > 1e3 * traj.loss[0]
    _, dW, db = loss_and_grad(traj.W[1], traj.b[1], X, y)
    bad_loss = loss_and_grad(traj.W[1] - 1e5 * dW, traj.b[1] - 1e5 * db, X, y)[0]
    assert bad_loss > 1e6 * traj.loss[0]


def test_no_divergence_for_a_sensible_run():
    X, y = blobs()
    traj = train(X, y, np.zeros((2, 3)), np.zeros(3), optimizer="adam", lr=0.1, steps=100)
    assert traj.diverged_at is None
    assert traj.steps == 100


def test_progress_is_reported_and_ends_at_the_total():
    X, y = blobs()
    calls = []
    train(X, y, np.zeros((2, 3)), np.zeros(3), steps=1000, progress=lambda *a: calls.append(a))
    assert calls[-1] == (1000, 1000)
    assert 2 <= len(calls) <= 101
    done = [c[0] for c in calls]
    assert done == sorted(set(done))
    assert all(total == 1000 for _, total in calls)


def test_progress_with_few_steps_and_on_divergence():
    X, y = blobs()
    calls = []
    train(X, y, np.zeros((2, 3)), np.zeros(3), steps=3, progress=lambda *a: calls.append(a))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    calls.clear()
    rng = np.random.default_rng(0)
    X, y = 1e3 * rng.normal(size=(30, 2)), rng.integers(0, 3, 30)
    W0, b0 = np.zeros((2, 3)), np.zeros(3)
    traj = train(X, y, W0, b0, lr=1e4, steps=40, progress=lambda *a: calls.append(a))
    assert traj.diverged_at is not None
    assert calls[-1] == (traj.steps, 40)


def bad_call(**changes):
    X, y = blobs(n_per_class=3)
    arguments = {"X": X, "y": y, "W0": np.zeros((2, 3)), "b0": np.zeros(3), "steps": 2}
    arguments.update(changes)
    X, y, W0, b0 = (arguments.pop(name) for name in ("X", "y", "W0", "b0"))
    return train(X, y, W0, b0, **arguments)


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"X": np.zeros(9)}, "X"),
        ({"X": np.full((9, 2), np.nan)}, "X"),
        ({"X": np.zeros((0, 2)), "y": np.zeros(0, dtype=int)}, "X"),
        ({"y": np.zeros(8, dtype=int)}, "y"),
        ({"y": np.full(9, 3)}, "y"),
        ({"y": np.full(9, 0.5)}, "y"),
        ({"W0": np.zeros((3, 3))}, "W0"),
        ({"W0": np.full((2, 3), np.inf)}, "W0"),
        ({"b0": np.zeros(2)}, "b0"),
        ({"b0": np.zeros((1, 3))}, "b0"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"optimizer": None}, "optimizer"),
        ({"lr": 0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"lr": float("inf")}, "lr"),
        ({"lr": "fast"}, "lr"),
        ({"steps": 0}, "steps"),
        ({"steps": 2.5}, "steps"),
        ({"steps": True}, "steps"),
        ({"steps": 100_001}, "steps"),
        ({"reg": -1.0}, "reg"),
        ({"reg": float("nan")}, "reg"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2.0}, "batch_size"),
        ({"seed": -1}, "seed"),
        ({"seed": "a"}, "seed"),
        ({"momentum": 1.0}, "momentum"),
        ({"momentum": -0.1}, "momentum"),
        ({"betas": (0.9, 1.0)}, "betas"),
        ({"betas": (-0.1, 0.9)}, "betas"),
        ({"betas": (0.9,)}, "betas"),
        ({"betas": 0.9}, "betas"),
        ({"eps": 0.0}, "eps"),
        ({"eps": -1e-8}, "eps"),
        ({"progress": 5}, "progress"),
    ],
)
def test_bad_arguments_raise_a_value_error_naming_them(changes, name):
    with pytest.raises(ValueError, match=rf"^{re.escape(name)}\b"):
        bad_call(**changes)


def test_unknown_optimizer_lists_the_valid_ones():
    with pytest.raises(ValueError) as error:
        bad_call(optimizer="SGD")
    for name in OPTIMIZERS:
        assert name in str(error.value)
