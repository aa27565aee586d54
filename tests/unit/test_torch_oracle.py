"""PyTorch autograd as an independent oracle (docs/math.md section 8), in float64.

Forward values and every gradient of the library are compared with torch's own softmax,
log_softmax, cross_entropy and automatic differentiation, micrograd-style.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from explorer.losses import (  # noqa: E402
    cross_entropy,
    cross_entropy_grad,
    loss_and_grad,
    loss_and_grad_naive,
    loss_and_grad_textbook,
)
from explorer.probability_grad import probability_weight_grad  # noqa: E402
from explorer.softmax import log_softmax, softmax, softmax_jacobian  # noqa: E402

pytestmark = pytest.mark.torch

SEEDS = range(12)
TEMPERATURES = [1e-2, 0.3, 1.0, 2.5, 100.0]
RTOL, ATOL = 1e-10, 1e-10


def close(actual, expected):
    np.testing.assert_allclose(actual, np.asarray(expected), rtol=RTOL, atol=ATOL)


def t64(array, grad=False):
    values = np.asarray(array, dtype=np.float64)
    return torch.tensor(values, dtype=torch.float64, requires_grad=grad)


def random_problem(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    n, d, k = int(rng.integers(1, 51)), int(rng.integers(1, 6)), int(rng.integers(2, 11))
    X = rng.normal(size=(n, d))
    W = rng.normal(scale=scale, size=(d, k))
    b = rng.normal(scale=scale, size=k)
    y = rng.integers(0, k, size=n)
    return W, b, X, y


@pytest.mark.parametrize("t", TEMPERATURES)
@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_and_log_softmax_with_temperature(seed, t):
    z = np.random.default_rng(seed).normal(scale=5.0, size=(4, 7))
    zt = t64(z)
    close(softmax(z, t), torch.softmax(zt / t, dim=-1))
    close(log_softmax(z, t), torch.log_softmax(zt / t, dim=-1))
    close(softmax(z, t, axis=0), torch.softmax(zt / t, dim=0))
    close(log_softmax(z, t, axis=0), torch.log_softmax(zt / t, dim=0))


def test_log_softmax_of_extreme_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [-5e3, 5e3, 0.0]])
    close(log_softmax(z), torch.log_softmax(t64(z), dim=-1))
    close(softmax(z), torch.softmax(t64(z), dim=-1))


@pytest.mark.parametrize("t", TEMPERATURES)
@pytest.mark.parametrize("seed", SEEDS)
def test_jacobian_against_autograd(seed, t):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 11))
    z = rng.normal(scale=3.0, size=k)
    expected = torch.autograd.functional.jacobian(lambda v: torch.softmax(v / t, dim=-1), t64(z))
    close(softmax_jacobian(z, t), expected)  # expected[i, j] = dp_i / dz_j


@pytest.mark.parametrize("seed", SEEDS[:4])
def test_batch_jacobian_against_autograd(seed):
    z = np.random.default_rng(seed).normal(size=(5, 4))
    full = torch.autograd.functional.jacobian(lambda v: torch.softmax(v / 0.7, dim=-1), t64(z))
    # full[n, i, m, j] = dp[n, i] / dz[m, j]; rows do not interact, so keep the n == m blocks.
    blocks = torch.stack([full[n, :, n, :] for n in range(5)])
    close(softmax_jacobian(z, 0.7), blocks)
    assert torch.count_nonzero(full).item() == torch.count_nonzero(blocks).item()


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_and_its_logit_gradient(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 51)), int(rng.integers(2, 11))
    Z = rng.normal(scale=4.0, size=(n, k))
    y = rng.integers(0, k, size=n)
    Zt = t64(Z, grad=True)
    loss = F.cross_entropy(Zt, torch.tensor(y))
    loss.backward()
    close(cross_entropy(Z, y), loss.item())
    close(cross_entropy_grad(Z, y), Zt.grad)


def test_cross_entropy_of_a_confident_mistake():
    Z = np.array([[1000.0, 0.0], [0.0, 800.0]])
    y = np.array([1, 0])
    Zt = t64(Z, grad=True)
    loss = F.cross_entropy(Zt, torch.tensor(y))
    loss.backward()
    close(cross_entropy(Z, y), loss.item())
    close(cross_entropy_grad(Z, y), Zt.grad)


@pytest.mark.parametrize("reg", [0.0, 0.01, 1.5])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("implementation",
                         [loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook])
def test_loss_and_weight_gradients_against_autograd(implementation, seed, reg):
    W, b, X, y = random_problem(seed)
    Wt, bt = t64(W, grad=True), t64(b, grad=True)
    loss_t = F.cross_entropy(t64(X) @ Wt + bt, torch.tensor(y)) + 0.5 * reg * (Wt**2).sum()
    loss_t.backward()
    loss, dW, db = implementation(W, b, X, y, reg)
    close(loss, loss_t.item())
    close(dW, Wt.grad)
    close(db, bt.grad)


def test_loss_and_weight_gradients_of_large_weights():
    # Saturated probabilities: many p underflow to 0 and some true-class p too.
    W, b, X, y = random_problem(3, scale=300.0)
    Wt, bt = t64(W, grad=True), t64(b, grad=True)
    loss_t = F.cross_entropy(t64(X) @ Wt + bt, torch.tensor(y))
    loss_t.backward()
    loss, dW, db = loss_and_grad(W, b, X, y)
    np.testing.assert_allclose(loss, loss_t.item(), rtol=1e-12)
    close(dW, Wt.grad)
    close(db, bt.grad)


@pytest.mark.parametrize("seed", SEEDS)
def test_probability_weight_grad_against_autograd(seed):
    W, b, X, _ = random_problem(seed)
    x = X[0]
    xt, bt = t64(x), t64(b)
    jac = torch.autograd.functional.jacobian(lambda w: torch.softmax(xt @ w + bt, dim=-1), t64(W))
    # jac[j, r, i] = dp_j / dW[r, i]; the library's G[j, i, r] is the same number.
    close(probability_weight_grad(W, b, x), jac.permute(0, 2, 1))
