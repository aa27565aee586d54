"""One example through the linear classifier: the split of dL/dW and both gradient checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from explorer import loss_and_grad, softmax
from explorer.page_logic.weights import (
    check_loss_gradient,
    check_probability_gradient,
    forward,
    probability_gradient,
)

W = np.array([[1.0, -0.5, 0.2, 0.8], [0.3, 1.0, -0.8, -0.6]])
B = np.array([0.0, 0.2, -0.1, 0.3])
X = np.array([1.0, 0.5])
moderate = st.floats(-2.0, 2.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (2, 3), elements=moderate), arrays(np.float64, (3,), elements=moderate),
       arrays(np.float64, (2,), elements=moderate), st.integers(0, 2), st.floats(0.0, 2.0))
def test_total_gradient_is_data_term_plus_reg_term(W, b, x, y, reg):
    result = forward(W, b, x, y, reg)
    loss, dW, _ = loss_and_grad(W, b, x[None], [y], reg)
    assert result.loss == loss
    np.testing.assert_array_equal(result.dW, dW)
    np.testing.assert_allclose(result.data_term + result.reg_term, dW, atol=1e-12)
    np.testing.assert_allclose(result.reg_term, reg * W)
    # Per example, column k of the data term is x (p_k - [k == y]).
    p = softmax(x @ W + b)
    for k in range(3):
        np.testing.assert_allclose(result.data_term[:, k], x * (p[k] - (k == y)), atol=1e-12)


def test_loss_gradient_check_passes():
    check = check_loss_gradient(W, B, X, 2, 0.4)
    assert check.relative < 1e-7 and check.verdict == "pass"


@pytest.mark.parametrize("j", range(4))
def test_probability_gradient_matches_its_definition_and_passes(j):
    p = softmax(X @ W + B)
    expected = np.stack([p[j] * ((i == j) - p[i]) * X for i in range(4)], axis=1)
    np.testing.assert_allclose(probability_gradient(W, B, X, j), expected, atol=1e-15)
    check = check_probability_gradient(W, B, X, j)
    assert check.verdict == "pass"


@pytest.mark.parametrize("j", range(4))
def test_the_common_mistake_fails_the_check(j):
    wrong = probability_gradient(W, B, X, j, mistake=True)
    others = [i for i in range(4) if i != j]
    assert np.all(wrong[:, others] == 0.0)
    check = check_probability_gradient(W, B, X, j, mistake=True)
    assert check.verdict == "fail"
    assert check.relative == pytest.approx(1.0)


def test_at_the_origin_no_check_can_tell():
    check = check_probability_gradient(W, B, np.zeros(2), 0, mistake=True)
    assert check.verdict == "pass" and check.absolute == 0.0


@pytest.mark.torch
def test_probability_gradient_against_torch_autograd():
    torch = pytest.importorskip("torch")
    weights = torch.tensor(W, requires_grad=True)
    for j in range(4):
        p = torch.softmax(torch.tensor(X) @ weights + torch.tensor(B), dim=0)
        (grad,) = torch.autograd.grad(p[j], weights)
        np.testing.assert_allclose(probability_gradient(W, B, X, j), grad.numpy(), atol=1e-12)
