"""Every documented bad argument raises ValueError with a message that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

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
from explorer.softmax import log_softmax, softmax, softmax_jacobian, softmax_naive
from explorer.validation import bounded_integer

NAN, INF = float("nan"), float("inf")
SOFTMAXES = [softmax, log_softmax, softmax_naive]
LOSS_AND_GRADS = [loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook]
LOGIT_LOSSES = [cross_entropy, cross_entropy_grad]
WEIGHT_GRADS = [probability_weight_grad, probability_weight_grad_wrong]

# A valid problem: X (3, 2), W (2, 4), b (4,), y (3,).
X = np.array([[0.5, -1.0], [2.0, 0.3], [-0.7, 0.1]])
W = np.array([[0.1, -0.2, 0.3, 0.0], [0.5, 0.4, -0.1, 0.2]])
B = np.array([0.0, 0.1, -0.1, 0.2])
Y = np.array([0, 3, 1])
Z = X @ W + B


def with_entry(array, value):
    changed = np.array(array, dtype=np.float64)
    changed.flat[changed.size // 2] = value
    return changed


def test_the_valid_arguments_are_accepted():
    for fn in SOFTMAXES:
        fn(Z)
    softmax_jacobian(Z)
    for fn in LOGIT_LOSSES:
        fn(Z, Y)
    for fn in LOSS_AND_GRADS:
        fn(W, B, X, Y, 0.1)
    for fn in WEIGHT_GRADS:
        fn(W, B, X[0])
    numerical_gradient(np.sum, X)
    relative_error(X, X)


# --- softmax, log_softmax, softmax_naive, softmax_jacobian -------------------------------


@pytest.mark.parametrize("fn", SOFTMAXES)
@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_logits(fn, bad):
    with pytest.raises(ValueError, match=r"^z must contain only finite values"):
        fn(with_entry(Z, bad))


@pytest.mark.parametrize("fn", [*SOFTMAXES, softmax_jacobian])
@pytest.mark.parametrize("bad", [0.0, -1.0, NAN, INF, -INF, "hot", None])
def test_bad_temperature(fn, bad):
    with pytest.raises(ValueError, match=r"^temperature must be a (finite|positive) number"):
        fn(Z, bad)


@pytest.mark.parametrize("fn", SOFTMAXES)
@pytest.mark.parametrize("axis", [2, -3, 17])
def test_axis_out_of_range(fn, axis):
    with pytest.raises(ValueError, match=r"^axis must be in -2\.\.1 for a 2-D input"):
        fn(Z, axis=axis)


@pytest.mark.parametrize("fn", SOFTMAXES)
@pytest.mark.parametrize("axis", [1.0, "0", None, True])
def test_axis_not_an_integer(fn, axis):
    with pytest.raises(ValueError, match=r"^axis must be an integer"):
        fn(Z, axis=axis)


@pytest.mark.parametrize("fn", SOFTMAXES)
def test_scalar_logits(fn):
    with pytest.raises(ValueError, match=r"^z must have at least one dimension"):
        fn(3.0)


@pytest.mark.parametrize("fn", SOFTMAXES)
@pytest.mark.parametrize(("z", "axis"), [([], -1), (np.zeros((3, 0)), -1), (np.zeros((0, 2)), 0)])
def test_empty_axis(fn, z, axis):
    with pytest.raises(ValueError, match=r"^z must have at least one entry along axis"):
        fn(z, axis=axis)


@pytest.mark.parametrize("fn", SOFTMAXES)
@pytest.mark.parametrize("z", [["a", "b"], [[1.0, 2.0], [3.0]], [1 + 2j, 0.0], [object(), 1.0]])
def test_logits_that_are_not_real_numbers(fn, z):
    with pytest.raises(ValueError, match=r"^z must "):
        fn(z)


@pytest.mark.parametrize("z", [np.array([1 + 2j, 0.0]), np.zeros(3, dtype=np.complex64)])
def test_complex_arrays_are_not_silently_truncated_to_their_real_part(z):
    with pytest.raises(ValueError, match=r"^z must hold real numbers, got complex"):
        softmax(z)


@pytest.mark.parametrize("z", [3.0, np.zeros((2, 3, 4))])
def test_jacobian_takes_one_or_two_dimensions(z):
    with pytest.raises(ValueError, match=r"^z must be 1-D or 2-D, got shape"):
        softmax_jacobian(z)


def test_jacobian_non_finite_and_empty_logits():
    with pytest.raises(ValueError, match=r"^z must contain only finite values"):
        softmax_jacobian([0.0, NAN])
    with pytest.raises(ValueError, match=r"^z must have at least one entry"):
        softmax_jacobian([])


# --- cross_entropy, cross_entropy_grad, one_hot ------------------------------------------


@pytest.mark.parametrize("fn", LOGIT_LOSSES)
@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_logits_in_the_loss(fn, bad):
    with pytest.raises(ValueError, match=r"^logits must contain only finite values"):
        fn(with_entry(Z, bad), Y)


@pytest.mark.parametrize("fn", LOGIT_LOSSES)
@pytest.mark.parametrize("logits", [Z[0], Z[None], 2.0])
def test_logits_must_be_2d(fn, logits):
    with pytest.raises(ValueError, match=r"^logits must be 2-D, got shape"):
        fn(logits, Y)


@pytest.mark.parametrize("fn", LOGIT_LOSSES)
@pytest.mark.parametrize("logits", [np.zeros((0, 3)), np.zeros((3, 0))])
def test_empty_logits(fn, logits):
    with pytest.raises(ValueError, match=r"^logits must have at least one row and one column"):
        fn(logits, np.zeros(logits.shape[0], dtype=int))


@pytest.mark.parametrize("fn", LOGIT_LOSSES)
@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 4, 1], r"^y must hold labels in 0\.\.3, got values from 0 to 4"),
        ([0, -1, 1], r"^y must hold labels in 0\.\.3, got values from -1 to 1"),
        ([0.0, 1.5, 2.0], r"^y must hold integer class labels"),
        ([0.0, NAN, 2.0], r"^y must hold integer class labels"),
        ([0.0, INF, 2.0], r"^y must hold integer class labels"),
        (["0", "1", "2"], r"^y must hold integer class labels, got dtype"),
        ([0, 1], r"^y must have shape \(3,\), got \(2,\)"),
        ([[0, 1, 2]], r"^y must have shape \(3,\), got \(1, 3\)"),
        (1, r"^y must have shape \(3,\), got \(\)"),
    ],
)
def test_bad_labels_for_the_logit_losses(fn, labels, message):
    with pytest.raises(ValueError, match=message):
        fn(Z, labels)


def test_integer_valued_float_labels_are_accepted():
    assert cross_entropy(Z, [0.0, 3.0, 1.0]) == cross_entropy(Z, Y)


@pytest.mark.parametrize(
    ("labels", "classes", "message"),
    [
        ([0, 3], 3, r"^y must hold labels in 0\.\.2"),
        ([-1, 0], 3, r"^y must hold labels in 0\.\.2"),
        ([0.5], 3, r"^y must hold integer class labels"),
        ([[0, 1]], 3, r"^y must be 1-D"),
        ([0, 1], 0, r"^classes must be a positive integer"),
        ([0, 1], 2.0, r"^classes must be a positive integer"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, classes)


# --- loss_and_grad, loss_and_grad_naive --------------------------------------------------


@pytest.mark.parametrize("fn", LOSS_AND_GRADS)
@pytest.mark.parametrize("name", ["W", "b", "X"])
@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_problem_arrays(fn, name, bad):
    args = {"W": W, "b": B, "X": X}
    args[name] = with_entry(args[name], bad)
    with pytest.raises(ValueError, match=rf"^{name} must contain only finite values"):
        fn(args["W"], args["b"], args["X"], Y)


@pytest.mark.parametrize("fn", LOSS_AND_GRADS)
@pytest.mark.parametrize(
    ("w", "b", "x", "message"),
    [
        (W, B, X[0], r"^X must be 2-D, got shape \(2,\)"),
        (W, B, X[None], r"^X must be 2-D, got shape \(1, 3, 2\)"),
        (W[0], B, X, r"^W must be 2-D, got shape \(4,\)"),
        (W, B[None], X, r"^b must be 1-D, got shape \(1, 4\)"),
        (W.T, B, X, r"^W must have shape \(2, K\) to match X with 2 columns, got \(4, 2\)"),
        (W[:, :3], B, X, r"^b must have shape \(3,\) to match W, got \(4,\)"),
        (W, B[:3], X, r"^b must have shape \(4,\) to match W, got \(3,\)"),
        (np.zeros((2, 0)), np.zeros(0), X, r"^W must have at least one column"),
        (W, B, np.zeros((0, 2)), r"^X must have at least one row"),
    ],
)
def test_mismatched_problem_shapes(fn, w, b, x, message):
    with pytest.raises(ValueError, match=message):
        fn(w, b, x, Y)


@pytest.mark.parametrize("fn", LOSS_AND_GRADS)
@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 4, 1], r"^y must hold labels in 0\.\.3"),
        ([0, -2, 1], r"^y must hold labels in 0\.\.3"),
        ([0.0, 0.5, 1.0], r"^y must hold integer class labels"),
        ([0, 1], r"^y must have shape \(3,\)"),
    ],
)
def test_bad_labels_for_the_classifier(fn, labels, message):
    with pytest.raises(ValueError, match=message):
        fn(W, B, X, labels)


@pytest.mark.parametrize("fn", LOSS_AND_GRADS)
@pytest.mark.parametrize(
    ("reg", "message"),
    [
        (-0.1, r"^reg must be a finite number >= 0"),
        (NAN, r"^reg must be a finite number >= 0"),
        (INF, r"^reg must be a finite number >= 0"),
        ("strong", r"^reg must be a non-negative number"),
        (None, r"^reg must be a non-negative number"),
    ],
)
def test_bad_regularisation(fn, reg, message):
    with pytest.raises(ValueError, match=message):
        fn(W, B, X, Y, reg)


# --- probability_weight_grad and its wrong twin ------------------------------------------


@pytest.mark.parametrize("fn", WEIGHT_GRADS)
@pytest.mark.parametrize(
    ("x", "message"),
    [
        (X[0][:1], r"^x must have shape \(2,\) to match W, got \(1,\)"),
        (np.ones(3), r"^x must have shape \(2,\) to match W, got \(3,\)"),
        (X[:1], r"^x must be 1-D, got shape \(1, 2\)"),
        (with_entry(X[0], NAN), r"^x must contain only finite values"),
    ],
)
def test_bad_example_for_the_weight_gradient(fn, x, message):
    with pytest.raises(ValueError, match=message):
        fn(W, B, x)


@pytest.mark.parametrize("fn", WEIGHT_GRADS)
def test_bad_weights_for_the_weight_gradient(fn):
    with pytest.raises(ValueError, match=r"^b must have shape \(4,\) to match W, got \(3,\)"):
        fn(W, B[:3], X[0])
    with pytest.raises(ValueError, match=r"^W must contain only finite values"):
        fn(with_entry(W, INF), B, X[0])
    with pytest.raises(ValueError, match=r"^b must contain only finite values"):
        fn(W, with_entry(B, NAN), X[0])
    with pytest.raises(ValueError, match=r"^W must be 2-D"):
        fn(W[0], B, X[0])


# --- numerical_gradient and relative_error -----------------------------------------------


@pytest.mark.parametrize("f", [None, 3.0, "np.sum", [np.sum]])
def test_f_must_be_callable(f):
    with pytest.raises(ValueError, match=r"^f must be callable, got"):
        numerical_gradient(f, X)


@pytest.mark.parametrize(
    ("h", "message"),
    [
        (0.0, r"^h must be a finite number > 0"),
        (-1e-5, r"^h must be a finite number > 0"),
        (NAN, r"^h must be a finite number > 0"),
        (INF, r"^h must be a finite number > 0"),
        ("small", r"^h must be a positive number"),
    ],
)
def test_bad_step(h, message):
    with pytest.raises(ValueError, match=message):
        numerical_gradient(np.sum, X, h)


@pytest.mark.parametrize("bad", [NAN, INF])
def test_non_finite_point(bad):
    with pytest.raises(ValueError, match=r"^x must contain only finite values"):
        numerical_gradient(np.sum, with_entry(X, bad))


def test_relative_error_arguments():
    message = r"^a and n must have the same shape, got \(3,\) and \(2,\)"
    with pytest.raises(ValueError, match=message):
        relative_error(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"^a must contain only finite values"):
        relative_error([NAN], [0.0])
    with pytest.raises(ValueError, match=r"^n must contain only finite values"):
        relative_error([0.0], [INF])


# --- bounded_integer (counts and seeds of datasets and train) ---------------------------


@pytest.mark.parametrize(
    ("value", "low", "high", "message"),
    [
        (True, 0, None, r"^seed must be a non-negative integer, got True"),
        (2.0, 1, 5, r"^seed must be an integer from 1 to 5, got 2\.0"),
        (0, 1, None, r"^seed must be an integer >= 1, got 0"),
        (6, 1, 5, r"^seed must be an integer from 1 to 5, got 6"),
        (3, 2, 2, r"^seed must be 2, got 3"),
    ],
)
def test_bounded_integer_rejects_with_the_range_in_the_message(value, low, high, message):
    with pytest.raises(ValueError, match=message):
        bounded_integer(value, "seed", low, high)


def test_bounded_integer_returns_python_ints():
    assert bounded_integer(np.int64(4), "n", 1, 5) == 4
    assert type(bounded_integer(np.int32(0), "n", 0)) is int
