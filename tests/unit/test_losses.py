"""Cross-entropy and its gradients (docs/math.md sections 4-7), checked against central differences.

Every analytic gradient is compared with central differences (``numerical_gradient``) of a
loss, never with another copy of the gradient formula; relative error below 1e-7 is a pass
(docs/math.md section 8). Shapes are drawn from seeded generators: N in 1..50, D in 1..5,
K in 2..10.

Why some checks differentiate a *loss change* instead of the loss: the elementwise relative
error ``|a - n| / (|a| + |n|)`` is only as good as the numerical gradient's absolute error,
about ``1e-16 * |L| / h`` from rounding in ``L`` itself (~1e-11 at h = 1e-5). An entry of dW
is a mean of terms of both signs and, on about 1 random problem in 70, cancels to below 1e-4,
where that noise alone exceeds 1e-7. ``loss_change`` evaluates ``L(W, b) - L(W0, b0)`` directly
from the small change of the logits (with log1p / expm1), so its rounding error is relative
to the change, not to ``L``; a step of 1e-7 then leaves ~1e-16 absolute error and the check
stays sharp for every entry. It is an independent implementation of the loss, and a test
below checks that it matches ``loss_and_grad``'s own loss.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.gradcheck import numerical_gradient, relative_error
from explorer.losses import (
    cross_entropy,
    cross_entropy_grad,
    loss_and_grad,
    loss_and_grad_naive,
    loss_and_grad_textbook,
    one_hot,
)
from explorer.probability_grad import probability_weight_grad, probability_weight_grad_wrong
from explorer.softmax import softmax

SEEDS = range(20)
PASS = 1e-7


def random_problem(seed, *, scale=0.3):
    """A linear softmax problem with random shapes; small weights keep every p_k well above 0.

    Returns W (D, K), b (K,), X (N, D), y (N,).
    """
    rng = np.random.default_rng(seed)
    n, d, k = int(rng.integers(1, 51)), int(rng.integers(1, 6)), int(rng.integers(2, 11))
    X = rng.normal(size=(n, d))
    W = rng.normal(scale=scale, size=(d, k))
    b = rng.normal(scale=scale, size=k)
    y = rng.integers(0, k, size=n)
    return W, b, X, y


def loss_change(W0, b0, X, y, reg=0.0):
    """``f(W, b) = L(W, b) - L(W0, b0)`` for the regularised mean cross-entropy, accurate near W0.

    With ``P0 = softmax(X @ W0 + b0)`` and ``dZ = X @ (W - W0) + (b - b0)``, each example's loss
    changes by ``log(sum_k P0[n, k] e^dZ[n, k]) - dZ[n, y_n]``
    = ``log1p(sum_k P0[n, k] expm1(dZ[n, k])) - dZ[n, y_n]``, and the regulariser by
    ``0.5 * reg * sum((W - W0) * (W + W0))``.
    """
    Z0 = X @ W0 + b0
    P0 = np.exp(Z0 - np.logaddexp.reduce(Z0, axis=1, keepdims=True))
    rows = np.arange(len(y))

    def f(W, b):
        dZ = X @ (W - W0) + (b - b0)
        per_example = np.log1p(np.sum(P0 * np.expm1(dZ), axis=1)) - dZ[rows, y]
        return float(np.mean(per_example) + 0.5 * reg * np.sum((W - W0) * (W + W0)))

    return f


def probability_change(W0, b0, x, j):
    """``f(W) = p_j(W) - p_j(W0)`` for one example, accurate near W0.

    ``p_j(W) = p0_j e^dz_j / (1 + S)`` with ``S = sum_k p0_k expm1(dz_k)``, so
    ``p_j(W) - p0_j = p0_j (expm1(dz_j) - S) / (1 + S)``.
    """
    z0 = x @ W0 + b0
    p0 = np.exp(z0 - np.logaddexp.reduce(z0))

    def f(W):
        growth = np.expm1(x @ (W - W0))
        total = np.sum(p0 * growth)
        return float(p0[j] * (growth[j] - total) / (1.0 + total))

    return f


def reference_cross_entropy(Z, y):
    """Mean of ``logsumexp(z_n) - z_n[y_n]``, with numpy's logaddexp (independent of the code)."""
    Z = np.asarray(Z, dtype=np.float64)
    return float(np.mean(np.logaddexp.reduce(Z, axis=1) - Z[np.arange(len(y)), y]))


# --- cross-entropy -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_matches_logsumexp(seed):
    W, b, X, y = random_problem(seed, scale=3.0)
    Z = X @ W + b
    assert cross_entropy(Z, y) == pytest.approx(reference_cross_entropy(Z, y), rel=1e-13)


def test_cross_entropy_of_a_confident_mistake_is_finite():
    # p[y] = e^-1000 underflows to 0, so log(p[y]) would be -inf;
    # the loss is 1000 + log(1 + e^-1000).
    assert cross_entropy([[1000.0, 0.0]], [1]) == pytest.approx(1000.0, rel=1e-15)
    assert cross_entropy([[0.0, 0.0, 0.0]], [2]) == pytest.approx(math.log(3.0), rel=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_grad_matches_central_differences(seed):
    W, b, X, y = random_problem(seed)
    Z = X @ W + b
    analytic = cross_entropy_grad(Z, y)
    assert analytic.shape == Z.shape
    numerical = numerical_gradient(lambda logits: cross_entropy(logits, y), Z)
    assert relative_error(analytic, numerical) < PASS


def test_cross_entropy_grad_rows_sum_to_zero_and_point_away_from_the_label():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(6, 4))
    y = np.array([0, 1, 2, 3, 0, 1])
    grad = cross_entropy_grad(Z, y)
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-16)
    assert np.all(grad[np.arange(6), y] < 0)
    assert np.all(np.delete(grad.ravel(), np.arange(6) * 4 + y) > 0)


def test_one_hot():
    expected = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    np.testing.assert_array_equal(one_hot([2, 0, 1, 2], 3), expected)
    assert one_hot(np.array([], dtype=int), 4).shape == (0, 4)


# --- the gradients of the linear classifier ----------------------------------------------


@pytest.mark.parametrize("reg", [0.0, 0.7])
@pytest.mark.parametrize("seed", SEEDS)
def test_loss_and_grad_matches_central_differences(seed, reg):
    W, b, X, y = random_problem(seed)
    loss, dW, db = loss_and_grad(W, b, X, y, reg=reg)
    assert dW.shape == W.shape
    assert db.shape == b.shape
    assert loss == pytest.approx(
        reference_cross_entropy(X @ W + b, y) + 0.5 * reg * np.sum(W**2), rel=1e-13
    )
    change = loss_change(W, b, X, y, reg)
    numerical_dW = numerical_gradient(lambda w: change(w, b), W, h=1e-7)
    numerical_db = numerical_gradient(lambda c: change(W, c), b, h=1e-7)
    assert relative_error(dW, numerical_dW) < PASS
    assert relative_error(db, numerical_db) < PASS


@pytest.mark.parametrize("reg", [0.0, 0.7])
@pytest.mark.parametrize("seed", SEEDS[:5])
def test_loss_change_is_the_change_of_loss_and_grads_loss(seed, reg):
    W, b, X, y = random_problem(seed)
    change = loss_change(W, b, X, y, reg)
    rng = np.random.default_rng(seed)
    for step in (1e-3, 0.1, 1.0):
        W1 = W + step * rng.normal(size=W.shape)
        b1 = b + step * rng.normal(size=b.shape)
        expected = loss_and_grad(W1, b1, X, y, reg)[0] - loss_and_grad(W, b, X, y, reg)[0]
        assert change(W1, b1) == pytest.approx(expected, rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("seed", SEEDS)
def test_loss_and_grad_matches_central_differences_of_its_own_loss(seed):
    # The textbook check (docs/math.md section 8) on loss_and_grad's own loss with h = 1e-5, at the
    # 1e-6 that its rounding floor allows for entries of dW that are small by cancellation.
    W, b, X, y = random_problem(seed)
    _, dW, db = loss_and_grad(W, b, X, y, reg=0.3)
    numerical_dW = numerical_gradient(lambda w: loss_and_grad(w, b, X, y, reg=0.3)[0], W)
    numerical_db = numerical_gradient(lambda c: loss_and_grad(W, c, X, y, reg=0.3)[0], b)
    assert relative_error(dW, numerical_dW) < 1e-6
    assert relative_error(db, numerical_db) < 1e-6


def test_regularisation_adds_half_reg_w_squared_and_leaves_the_bias_alone():
    W, b, X, y = random_problem(4)
    loss0, dW0, db0 = loss_and_grad(W, b, X, y)
    loss1, dW1, db1 = loss_and_grad(W, b, X, y, reg=2.0)
    assert loss1 - loss0 == pytest.approx(np.sum(W**2), rel=1e-12)
    np.testing.assert_allclose(dW1 - dW0, 2.0 * W, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(db1, db0)


def test_loss_and_grad_of_a_confident_mistake_is_finite():
    # The true-class probability e^-1000 underflows to 0; the loss is still 1000 + log(1 + e^-1000)
    # and the gradient of the mean is p - y = [1, -1] for this single example.
    W = np.array([[1000.0, 0.0]])
    b = np.zeros(2)
    X = np.array([[1.0]])
    for implementation in (loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook):
        loss, dW, db = implementation(W, b, X, [1])
        assert loss == pytest.approx(1000.0, rel=1e-15)
        np.testing.assert_allclose(dW, [[1.0, -1.0]], atol=1e-300)
        np.testing.assert_allclose(db, [1.0, -1.0], atol=1e-300)


def test_loss_and_grad_does_not_modify_its_arguments():
    W, b, X, y = random_problem(5)
    copies = [a.copy() for a in (W, b, X, y)]
    loss_and_grad(W, b, X, y, reg=0.1)
    loss_and_grad_naive(W, b, X, y, reg=0.1)
    loss_and_grad_textbook(W, b, X, y, reg=0.1)
    for original, copy in zip((W, b, X, y), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


def test_loss_and_grad_accepts_lists_and_float_labels():
    loss, dW, db = loss_and_grad([[0.1, -0.2]], [0.0, 0.3], [[1.0], [2.0]], [0.0, 1.0])
    reference = loss_and_grad(
        np.array([[0.1, -0.2]]), np.array([0.0, 0.3]), np.array([[1.0], [2.0]]), np.array([0, 1])
    )
    assert loss == reference[0]
    np.testing.assert_array_equal(dW, reference[1])
    np.testing.assert_array_equal(db, reference[2])


@pytest.mark.parametrize("seed", SEEDS)
def test_probability_weight_grad_matches_central_differences(seed):
    W, b, X, _ = random_problem(seed, scale=0.5)
    x = X[0]
    d, k = W.shape
    analytic = probability_weight_grad(W, b, x)
    assert analytic.shape == (k, k, d)
    for j in range(k):
        numerical = numerical_gradient(probability_change(W, b, x, j), W, h=1e-7)  # (D, K)
        # G[j, i, :] is dp_j / dW[:, i], so it is the transpose of the numerical (D, K) gradient.
        assert relative_error(analytic[j], numerical.T) < PASS
        # The same check through the library's softmax, at h = 1e-5 (rounding-limited to ~1e-7
        # where an x_r is small).
        plain = numerical_gradient(lambda w, j=j: softmax(x @ w + b)[j], W)
        assert relative_error(analytic[j], plain.T) < 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_the_classic_mistake_fails_the_gradient_check(seed):
    W, b, X, _ = random_problem(seed, scale=0.5)
    x = X[0]
    k = W.shape[1]
    wrong = probability_weight_grad_wrong(W, b, x)
    off_diagonal = ~np.eye(k, dtype=bool)
    for j in range(k):
        numerical = numerical_gradient(lambda w, j=j: softmax(x @ w + b)[j], W).T  # (K, D)
        # The check fails by a mile: dropping the denominator's dependence on w_i is not rounding.
        assert relative_error(wrong[j], numerical) > 0.5
        # Its i != j gradients are exactly 0 while the true ones are -p_j p_i x, not 0.
        assert np.all(wrong[j][off_diagonal[j]] == 0)
        assert np.all(np.abs(numerical[off_diagonal[j]]) > 1e-9 * np.abs(x))


# --- naive against vectorised ------------------------------------------------------------


def assert_same_results(first, second, W, b, X, y, reg):
    """Loss, dW and db of two implementations agree to 1e-12."""
    loss_a, dW_a, db_a = first(W, b, X, y, reg)
    loss_b, dW_b, db_b = second(W, b, X, y, reg)
    assert abs(loss_a - loss_b) <= 1e-12 * max(1.0, abs(loss_a))
    np.testing.assert_allclose(dW_a, dW_b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db_a, db_b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("reg", [0.0, 0.05, 3.0])
@pytest.mark.parametrize("seed", SEEDS)
def test_naive_equals_vectorised(seed, reg):
    W, b, X, y = random_problem(100 + seed, scale=2.0)
    assert_same_results(loss_and_grad_naive, loss_and_grad, W, b, X, y, reg)
    assert_same_results(loss_and_grad_naive, loss_and_grad_textbook, W, b, X, y, reg)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    scale=st.floats(0.0, 20.0),
    reg=st.one_of(st.just(0.0), st.floats(0.0, 10.0)),
)
def test_naive_equals_vectorised_for_any_scale(seed, scale, reg):
    W, b, X, y = random_problem(seed, scale=scale)
    assert_same_results(loss_and_grad_naive, loss_and_grad, W, b, X, y, reg)
    assert_same_results(loss_and_grad_naive, loss_and_grad_textbook, W, b, X, y, reg)


def vectorised_with_the_slip(W, b, X, y, reg=0.0):
    """The vectorised loss with the published slip: ``x.T`` (one row) where ``X.T`` was meant."""
    n = X.shape[0]
    scores = X @ W + b
    scores -= scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    probs /= probs.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(n), y])) + 0.5 * reg * np.sum(W * W)
    dscores = probs
    dscores[np.arange(n), y] -= 1.0
    dscores /= n
    x = X[-1:]  # a single row, shape (1, D), left over from working through one example
    dW = x.T @ dscores[-1:] + reg * W  # the slip: should be X.T @ dscores
    return loss, dW, dscores.sum(axis=0)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_comparison_catches_x_dot_t_for_a_single_row(seed):
    W, b, X, y = random_problem(200 + seed)
    if X.shape[0] == 1:  # with one example x.T is X.T and the slip is harmless
        X, y = np.vstack([X, -X]), np.concatenate([y, y])
    with pytest.raises(AssertionError):
        assert_same_results(loss_and_grad_naive, vectorised_with_the_slip, W, b, X, y, 0.1)
    # The slip also fails the independent check against central differences.
    numerical = numerical_gradient(lambda w: loss_and_grad(w, b, X, y, 0.1)[0], W)
    assert relative_error(vectorised_with_the_slip(W, b, X, y, 0.1)[1], numerical) > 1e-3


def test_the_slip_is_invisible_with_a_single_example():
    # Why the comparison needs N > 1: for one example x.T is X.T.
    W, b, X, y = random_problem(7)
    assert_same_results(loss_and_grad_naive, vectorised_with_the_slip, W, b, X[:1], y[:1], 0.1)
