"""train() against torch.optim as an independent oracle, iterate by iterate."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.optim import train

torch = pytest.importorskip("torch")
torch.set_default_dtype(torch.float64)
F = torch.nn.functional

pytestmark = pytest.mark.torch

STEPS = 50
LR = 0.1
REG = 0.05

TORCH_OPTIMIZERS = {
    "gd": lambda params: torch.optim.SGD(params, lr=LR),
    "sgd": lambda params: torch.optim.SGD(params, lr=LR),
    "momentum": lambda params: torch.optim.SGD(params, lr=LR, momentum=0.9),
    "nesterov": lambda params: torch.optim.SGD(params, lr=LR, momentum=0.9, nesterov=True),
    "adam": lambda params: torch.optim.Adam(params, lr=LR),
    "rmsprop": lambda params: torch.optim.RMSprop(params, lr=LR),
}


def problem(n=60, seed=0):
    """Overlapping clusters, so the loss keeps a clear gradient for all 50 steps."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.normal(size=(n, 2)) + 1.5 * np.eye(3)[y][:, :2]
    W0 = 0.3 * rng.normal(size=(2, 3))
    b0 = 0.3 * rng.normal(size=3)
    return X, y, W0, b0


def torch_loss(W, b, X, y):
    return F.cross_entropy(X @ W + b, y) + 0.5 * REG * (W**2).sum()


def torch_run(optimizer, X, y, W0, b0, batches=None):
    """Run torch.optim from (W0, b0); return every iterate and its full-data loss."""
    Xt, yt = torch.tensor(X), torch.tensor(y)
    W = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(b0, requires_grad=True)
    opt = TORCH_OPTIMIZERS[optimizer]([W, b])
    Ws, bs, losses = [], [], []
    for _ in range(STEPS):
        Ws.append(W.detach().numpy().copy())
        bs.append(b.detach().numpy().copy())
        with torch.no_grad():
            losses.append(torch_loss(W, b, Xt, yt).item())
        idx = torch.tensor(next(batches)) if batches is not None else slice(None)
        opt.zero_grad()
        torch_loss(W, b, Xt[idx], yt[idx]).backward()
        opt.step()
    Ws.append(W.detach().numpy().copy())
    bs.append(b.detach().numpy().copy())
    with torch.no_grad():
        losses.append(torch_loss(W, b, Xt, yt).item())
    return np.array(Ws), np.array(bs), np.array(losses)


def assert_same_trajectory(traj, reference):
    Ws, bs, losses = reference
    assert traj.diverged_at is None
    assert traj.W.shape == Ws.shape
    assert np.abs(traj.W - Ws).max() < 1e-10
    assert np.abs(traj.b - bs).max() < 1e-10
    assert np.abs(traj.loss - losses).max() < 1e-10
    assert np.abs(Ws[-1] - Ws[0]).max() > 0.1  # the run really moved


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adam", "rmsprop"])
def test_full_batch_trajectory_matches_torch(optimizer):
    X, y, W0, b0 = problem()
    traj = train(X, y, W0, b0, optimizer=optimizer, lr=LR, steps=STEPS, reg=REG)
    assert_same_trajectory(traj, torch_run(optimizer, X, y, W0, b0))


def documented_batches(n, batch_size, seed):
    """The batch order train() documents: a fresh permutation per epoch, consecutive slices."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            yield order[i : i + batch_size]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_mini_batch_trajectory_matches_torch_on_the_same_batches(optimizer):
    X, y, W0, b0 = problem(n=45, seed=1)  # batches of 8: 5 full and one of 5 per epoch
    traj = train(
        X, y, W0, b0, optimizer=optimizer, lr=LR, steps=STEPS, reg=REG, batch_size=8, seed=7
    )
    reference = torch_run(optimizer, X, y, W0, b0, batches=documented_batches(45, 8, 7))
    assert_same_trajectory(traj, reference)
