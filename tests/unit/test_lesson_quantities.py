"""The numbers a reveal reads, against computations written here from the formulas
(finite differences, a direct exp/sum softmax, PyTorch autograd when installed)."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.guided.lesson_file import load_lessons
from explorer.guided.page_settings import defaults
from explorer.guided.quantities import MEASURED, PAGES, quantities
from explorer.guided.template import render
from explorer.page_logic.softmax import OVERFLOW_SHIFT
from explorer.page_logic.training_run import DataSettings, initial_params, make_data

H = 1e-6


def direct_softmax(z, t):
    e = np.exp(np.asarray(z, dtype=float) / t)
    return e / e.sum()


def central_jacobian(f, z):
    z = np.asarray(z, dtype=float)
    columns = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = H
        columns.append((f(z + step) - f(z - step)) / (2 * H))
    return np.stack(columns, axis=-1)


def softmax_values(**changes):
    return {**defaults("softmax"), **changes}


@pytest.mark.parametrize("changes", [{}, {"t": 0.5, "y": 2}, {"k": 6, "z5": -3.0, "t": 4.0},
                                     {"k": 2, "z0": 9.0, "z1": -9.0, "y": 1}])
def test_softmax_quantities(changes):
    values = softmax_values(**changes)
    q = quantities("softmax", values)
    k, t, y = values["k"], values["t"], values["y"]
    z = np.array([values[f"z{i}"] for i in range(k)])
    p = direct_softmax(z, t)
    np.testing.assert_allclose(q["p"], p, rtol=1e-12)
    np.testing.assert_allclose(q["J"], central_jacobian(lambda v: direct_softmax(v, t), z),
                               atol=1e-8)
    loss = -np.log(p[y])
    assert q["loss"] == pytest.approx(loss, rel=1e-10)
    gradient = central_jacobian(lambda v: np.array(-np.log(direct_softmax(v, t)[y])), z)
    np.testing.assert_allclose(q["dlogits"], gradient, atol=1e-7)
    np.testing.assert_allclose(q["p_minus_y"], p - np.eye(k)[y], atol=1e-12)
    assert q["J_max"] == pytest.approx(np.abs(q["J"]).max())
    assert q["top"] == int(np.argmax(z)) and q["K"] == k


def test_softmax_overflow_demo_counts_the_textbook_nans():
    q = quantities("softmax", softmax_values(big=True))
    z = np.array([2.0, 1.0, 0.1, -1.0])
    with np.errstate(over="ignore", invalid="ignore"):
        textbook = direct_softmax(z + OVERFLOW_SHIFT, 1.0)
    assert q["naive_nans"] == int(np.isnan(textbook).sum()) > 0
    # A shift shared by every logit leaves the stable softmax's p unchanged.
    np.testing.assert_allclose(q["p"], direct_softmax(z, 1.0), rtol=1e-12)


def weights_values(**changes):
    return {**defaults("weights"), **changes}


@pytest.mark.parametrize("changes", [{}, {"x1": -2.0, "y": 2, "reg": 0.5},
                                     {"k": 4, "j": 3, "mistake": True}])
def test_weights_quantities(changes):
    values = weights_values(**changes)
    q = quantities("weights", values)
    k = values["k"]
    W = np.array([[values[f"w{row}_{c}"] for c in range(k)] for row in (1, 2)])
    b = np.array([values[f"b{c}"] for c in range(k)])
    x = np.array([values["x1"], values["x2"]])
    y, j, reg = values["y"], values["j"], values["reg"]

    def loss(weights):
        return -np.log(direct_softmax(x @ weights.reshape(2, k) + b, 1.0)[y]) + 0.5 * reg * (
            weights ** 2).sum()

    def p_j(weights):
        return np.array(direct_softmax(x @ weights.reshape(2, k) + b, 1.0)[j])

    np.testing.assert_allclose(q["p"], direct_softmax(x @ W + b, 1.0), rtol=1e-12)
    assert q["loss"] == pytest.approx(loss(W.ravel()), rel=1e-12)
    dW = central_jacobian(loss, W.ravel()).reshape(2, k)
    np.testing.assert_allclose(q["dW"], dW, atol=1e-8)
    np.testing.assert_allclose(q["db"], direct_softmax(x @ W + b, 1.0) - np.eye(k)[y], atol=1e-12)
    dp = central_jacobian(p_j, W.ravel()).reshape(2, k)
    np.testing.assert_allclose(q["dp_numeric"], dp, atol=1e-8)
    if values["mistake"]:
        others = [i for i in range(k) if i != j]
        assert np.all(q["dp"][:, others] == 0) and q["dp_verdict"] == "fail"
    else:
        np.testing.assert_allclose(q["dp"], dp, atol=1e-8)
        assert q["dp_error"] < 1e-7 and q["dp_verdict"] == "pass"


def training_values(**changes):
    return {**defaults("training"), **changes}


@pytest.mark.parametrize("changes", [{"lr": 0.5, "steps": 40},
                                     {"optimizer": "adam", "lr": 0.05, "steps": 30,
                                      "optimizer2": "gd", "lr2": 0.05}])
def test_training_quantities(changes):
    torch = pytest.importorskip("torch")
    values = training_values(**changes)
    q = quantities("training", values)
    data = make_data(DataSettings(dataset=values["dataset"], n=values["n"],
                                  classes=values["classes"], noise=values["noise"],
                                  seed=values["seed"], test=values["test"],
                                  features=values["features"]))
    X = torch.tensor(data.F_train, dtype=torch.float64)
    y = torch.tensor(data.y_train)

    def run(optimizer: str, lr: float) -> tuple[list[float], float]:
        W0, b0 = initial_params(data.dim, data.classes, values["init"])
        W = torch.tensor(W0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        make = {"gd": lambda p: torch.optim.SGD(p, lr=lr),
                "adam": lambda p: torch.optim.Adam(p, lr=lr)}[optimizer]
        opt, losses = make([W, b]), []
        for _ in range(values["steps"]):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(X @ W + b, y)
            losses.append(loss.item())
            loss.backward()
            opt.step()
        losses.append(torch.nn.functional.cross_entropy(X @ W + b, y).item())
        accuracy = ((X @ W + b).argmax(dim=1) == y).double().mean().item()
        return losses, accuracy

    losses, accuracy = run(values["optimizer"], values["lr"])
    np.testing.assert_allclose(q["loss"], losses, rtol=1e-9)
    assert q["final_loss"] == pytest.approx(losses[-1], rel=1e-9)
    assert q["first_loss"] == pytest.approx(losses[0], rel=1e-12)
    assert q["accuracy"] == pytest.approx(accuracy)
    assert q["diverged_at"] == "never" and q["steps_taken"] == values["steps"]
    losses2, _ = run(values["optimizer2"], values["lr2"]) if values["optimizer2"] in (
        "gd", "adam") else (None, None)
    if losses2 is not None:
        assert q["final_loss2"] == pytest.approx(losses2[-1], rel=1e-9)


def test_training_divergence_is_reported_with_its_step():
    q = quantities("training", training_values(lr=3.0, reg=1.0, steps=100))
    assert isinstance(q["diverged_at"], int) and 0 < q["diverged_at"] <= 100
    # The diverged step itself is not recorded: the last iterate kept is the one before it.
    assert q["steps_taken"] == q["diverged_at"] - 1 and np.isfinite(q["final_loss"])
    assert q["final_loss"] > 1e3 * q["first_loss"]


def test_check_quantities():
    torch = pytest.importorskip("torch")
    from explorer.losses import loss_and_grad_naive, loss_and_grad_textbook
    from explorer.page_logic.check import make_problem

    values = {**defaults("check"), "n": 40, "d": 4, "k": 5, "seed": 3, "reg": 0.3}
    q = quantities("check", values)
    problem = make_problem(40, 4, 5, 3)
    W = torch.tensor(problem.W, requires_grad=True)
    logits = torch.tensor(problem.X) @ W + torch.tensor(problem.b)
    data_loss = torch.nn.functional.cross_entropy(logits, torch.tensor(problem.y))
    loss = data_loss + 0.5 * 0.3 * (W ** 2).sum()
    loss.backward()
    assert q["loss"] == pytest.approx(loss.item(), rel=1e-12)
    args = (problem.W, problem.b, problem.X, problem.y, 0.3)
    vectorised, naive = loss_and_grad_textbook(*args)[1], loss_and_grad_naive(*args)[1]
    for dW in (vectorised, naive):
        np.testing.assert_allclose(dW, W.grad.numpy(), atol=1e-13)
    gap = np.abs(vectorised - naive) / np.maximum(1e-12, np.abs(vectorised) + np.abs(naive))
    assert q["naive_error"] == pytest.approx(gap.max(), abs=1e-18)
    assert q["numerical_error"] < 1e-7 and q["numerical_verdict"] == "pass"
    assert q["evaluations"] == 2 * 4 * 5 and q["lnK"] == pytest.approx(np.log(5))
    assert q["speedup"] > 0 and q["slowdown"] > 0
    assert (q["D"], q["K"], q["N"]) == (4, 5, 40)


def test_without_measuring_the_timings_read_a_stand_in():
    from explorer.guided.quantities import MEASURED_STAND_IN

    q = quantities("check", defaults("check"), measure=False)
    assert all(q[name] == MEASURED_STAND_IN for name in MEASURED)
    assert "compared" not in q._results.__dict__  # nothing was timed
    assert q["evaluations"] == 2 * 3 * 4


def test_quantities_are_lazy_and_named_per_page():
    q = quantities("training", training_values())
    assert "final_loss" in q and "p" not in q
    assert "_results" not in q.__dict__  # asking what exists computes nothing
    q["final_loss"]
    computed = q._results.__dict__
    assert "run" in computed and "run2" not in computed  # the second run only when read
    assert set(PAGES["check"][1]) >= MEASURED


def test_a_reveal_compares_the_step_with_the_previous_one():
    lesson = load_lessons().lessons["temperature"]
    number = 3  # T goes from 1 to 0.5
    text = render(lesson.steps[number - 1].reveal,
                  quantities("softmax", lesson.states[number]),
                  quantities("softmax", lesson.states[number - 1]))
    z = np.array([2.0, 1.0, 0.1, -1.0])
    assert f"from {direct_softmax(z, 1.0)[0]:.2f} to {direct_softmax(z, 0.5)[0]:.2f}" in text
