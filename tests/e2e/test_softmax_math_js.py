"""The browser math module (explorer/web/softmax_math.js) against numpy, run in Chromium.

Every function the live views draw with is called directly in a real Chromium through
``page.evaluate`` on hundreds of random states -- including |z/T| up to 200 and logits
shifted by +1000 -- and compared with the explorer library (numpy) at 1e-12, and with
PyTorch autograd when it is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

from explorer.boundaries import feature_map, grid_centres, grid_probabilities
from explorer.losses import loss_and_grad
from explorer.page_logic.softmax import EXP_OVERFLOW
from explorer.probability_grad import probability_weight_grad, probability_weight_grad_wrong
from explorer.softmax import log_softmax, softmax, softmax_jacobian, softmax_naive
from tests.support.esm import import_module

TOL = 1e-12
STATES = 300


@pytest.fixture(scope="module")
def js(browser):
    """A blank page with the module imported; ``js(expr, arg)`` evaluates with ``M`` bound."""
    context = browser.new_context()
    page = context.new_page()
    exported = import_module(page, "softmax_math.js", "M")

    def call(body: str, arg=None):
        return page.evaluate(f"(arg) => {{ const M = window.__modules.M; {body} }}", arg)

    call.exported = exported
    yield call
    context.close()


def close(actual, expected, tol=TOL):
    np.testing.assert_allclose(np.asarray(actual, dtype=np.float64), expected, rtol=0, atol=tol)


def logit_states(seed: int = 0, count: int = STATES):
    """Random (z, T): K in 2..10, T in [0.05, 20], max |z/T| spread over [0, 200]."""
    rng = np.random.default_rng(seed)
    states = []
    for index in range(count):
        k = int(rng.integers(2, 11))
        t = float(np.exp(rng.uniform(np.log(0.05), np.log(20.0))))
        z = rng.normal(size=k)
        reach = 200.0 if index % 10 == 0 else rng.uniform(0.0, 200.0)
        z *= reach * t / max(np.abs(z).max(), 1e-300)
        states.append((z.tolist(), t))
    states.append(([0.0] * 10, 1.0))  # a tie everywhere: uniform p
    states.append(([200.0, -200.0, 0.0], 1.0))
    return states


def test_module_exports_the_documented_api(js):
    expected = {
        "softmax", "logSoftmax", "softmaxJacobian", "pMinusY", "logits", "exampleGradients",
        "probabilityWeightJacobian", "commonMistake", "features", "gridProbabilities",
    }
    assert expected <= set(js.exported)


def test_softmax_log_softmax_and_jacobian_match_numpy(js):
    states = logit_states()
    results = js(
        "return arg.map(([z, T]) => [M.softmax(z, T), M.logSoftmax(z, T),"
        " M.softmaxJacobian(z, T)]);",
        states,
    )
    assert len(results) == len(states) >= 200
    for (z, t), (p, logp, jac) in zip(states, results, strict=True):
        close(p, softmax(z, t))
        close(logp, log_softmax(z, t), tol=TOL * max(1.0, np.abs(log_softmax(z, t)).max()))
        assert np.all(np.isfinite(logp))
        close(jac, softmax_jacobian(z, t), tol=TOL / t)


def test_extreme_logits_stay_finite_and_log_softmax_is_not_log_of_softmax(js):
    z, t = [200.0, -200.0, 0.0], 0.05  # |z/T| = 4000
    p, logp = js("return [M.softmax(arg[0], arg[1]), M.logSoftmax(arg[0], arg[1])];", [z, t])
    close(p, [1.0, 0.0, 0.0])
    assert p[1] == 0.0  # e^-8000 underflows...
    close(logp, [0.0, -8000.0, -4000.0], tol=1e-9)  # ...but its log is exact


def test_adding_1000_to_every_logit_changes_nothing_stable_but_breaks_the_textbook(js):
    states = logit_states(seed=1, count=200)
    results = js(
        "return arg.map(([z, T]) => { const up = z.map((v) => v + 1000);"
        " return [M.softmax(up, T), M.softmaxNaive(up, T), M.softmax(z, T)]; });",
        states,
    )
    broken = 0
    for (z, t), (shifted, naive, plain) in zip(states, results, strict=True):
        close(shifted, softmax(z, t))
        close(shifted, plain)
        textbook = softmax_naive(np.array(z) + 1000, t)
        np.testing.assert_allclose(np.array(naive, dtype=np.float64), textbook, rtol=0,
                                   atol=TOL, equal_nan=True)
        overflows = (max(z) + 1000) / t > EXP_OVERFLOW
        assert np.isnan(naive).any() == overflows
        broken += overflows
    assert broken > len(states) / 2


def test_p_minus_y_and_one_example_gradients_match_loss_and_grad(js):
    rng = np.random.default_rng(2)
    cases = []
    for index in range(STATES):
        d = 2 if index % 2 else 5
        k = int(rng.integers(2, 11))
        scale = 30.0 if index % 7 == 0 else 1.5
        cases.append({
            "x": rng.normal(scale=2, size=d).tolist(),
            "W": rng.normal(scale=scale, size=(d, k)).tolist(),
            "b": rng.normal(size=k).tolist(), "y": int(rng.integers(0, k)),
            "reg": float(rng.choice([0.0, rng.uniform(0, 2)])),
        })
    results = js(
        "return arg.map((c) => { const g = M.exampleGradients(c.x, c.W, c.b, c.y, c.reg);"
        " return {...g, z2: M.logits(c.x, c.W, c.b), pmy: M.pMinusY(g.p, c.y),"
        " pmy1: M.pMinusY(g.p, M.oneHot(c.y, g.p.length))}; });",
        cases,
    )
    for case, got in zip(cases, results, strict=True):
        x, W, b, y, reg = (np.array(case[name]) for name in ("x", "W", "b", "y", "reg"))
        loss, dW, db = loss_and_grad(W, b, x[None, :], [int(y)], float(reg))
        z = x @ W + b
        close(got["z"], z, tol=TOL * max(1.0, np.abs(z).max()))
        close(got["z2"], got["z"], tol=0)
        close(got["p"], softmax(z))
        assert got["loss"] == pytest.approx(loss, rel=TOL, abs=TOL)
        close(got["dW"], dW, tol=TOL * max(1.0, np.abs(W).max()))
        close(got["db"], db)
        close(got["dlogits"], db)
        close(got["pmy"], db)
        close(got["pmy1"], db)


def test_gradient_step_moves_against_the_gradient(js):
    W, b = [[1.0, -2.0], [0.5, 0.25]], [0.1, -0.1]
    dW, db = [[0.5, -1.0], [2.0, 0.0]], [1.0, -3.0]
    got = js("return M.gradientStep(arg[0], arg[1], arg[2], arg[3], 0.1);", [W, b, dW, db])
    close(got["W"], np.array(W) - 0.1 * np.array(dW), tol=0)
    close(got["b"], np.array(b) - 0.1 * np.array(db), tol=0)


def test_probability_weight_jacobian_and_the_mistake_match_the_library(js):
    rng = np.random.default_rng(3)
    cases = []
    for index in range(STATES):
        d, k = (2, 3) if index % 3 == 0 else (int(rng.integers(1, 6)), int(rng.integers(2, 11)))
        W, b, x = rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(scale=2, size=d)
        cases.append((x.tolist(), W.tolist(), b.tolist()))
    results = js(
        "return arg.map(([x, W, b]) => { const p = M.softmax(M.logits(x, W, b));"
        " return [M.probabilityWeightJacobian(x, p), M.commonMistake(x, p)]; });",
        cases,
    )
    for (x, W, b), (right, wrong) in zip(cases, results, strict=True):
        # The library's G[j, k, i] (class k's weight vector, feature i) is JS [j][i][k].
        close(right, probability_weight_grad(W, b, x).transpose(0, 2, 1))
        close(wrong, probability_weight_grad_wrong(W, b, x).transpose(0, 2, 1))


def test_mistake_differs_exactly_on_the_diagonal_and_off_it(js):
    x, p = [1.5, -0.5], [0.2, 0.3, 0.5]
    right, wrong = js("return [M.probabilityWeightJacobian(arg[0], arg[1]),"
                      " M.commonMistake(arg[0], arg[1])];", [x, p])
    differs = ~np.isclose(np.array(right), np.array(wrong), rtol=0, atol=1e-15)
    assert differs.all()  # every entry: off-diagonal dropped, diagonal too large


def test_features_match_the_python_feature_map(js):
    rng = np.random.default_rng(4)
    points = rng.normal(scale=3, size=(50, 2))
    for kind in ("raw", "quadratic"):
        got = js("return arg.points.map(([a, c]) => M.features(a, c, arg.kind));",
                 {"points": points.tolist(), "kind": kind})
        close(got, feature_map(points, kind), tol=0)


def test_unknown_feature_kind_is_an_error(js):
    message = js("try { M.features(1, 2, 'cubic'); return null; }"
                 " catch (error) { return error.message; }")
    assert "raw, quadratic" in message


@pytest.mark.parametrize("kind", ["raw", "quadratic"])
def test_grid_probabilities_match_the_python_grid(js, kind):
    rng = np.random.default_rng(5 if kind == "raw" else 6)
    d = 2 if kind == "raw" else 5
    for _ in range(5):
        k = int(rng.integers(2, 7))
        W, b = rng.normal(scale=2, size=(d, k)), rng.normal(size=k)
        bounds = (-3.3, 3.3, -2.0, 4.5)
        nx, ny = int(rng.integers(3, 40)), int(rng.integers(3, 40))
        grid = {"xMin": bounds[0], "xMax": bounds[1], "yMin": bounds[2], "yMax": bounds[3],
                "nx": nx, "ny": ny}
        got = js("const g = M.gridCentres(arg.grid);"
                 " return [Array.from(M.gridProbabilities(arg.W, arg.b, arg.grid, arg.kind)),"
                 " g.xs, g.ys];",
                 {"W": W.tolist(), "b": b.tolist(), "grid": grid, "kind": kind})
        probs, xs, ys = got
        expected_xs, expected_ys = grid_centres(*bounds, nx, ny)
        close(xs, expected_xs, tol=0)
        close(ys, expected_ys, tol=0)
        assert ys[0] > ys[-1]  # row 0 is the top
        expected = grid_probabilities(W, b, bounds, nx, ny, kind)
        close(np.reshape(probs, (ny, nx, k)), expected)
        # An independent reading of the layout: row r, column c is the point (xs[c], ys[r]).
        r, c = ny - 1, 0
        point = feature_map([[expected_xs[c], expected_ys[r]]], kind)
        close(np.reshape(probs, (ny, nx, k))[r, c], softmax(point @ W + b)[0])


def test_against_torch_autograd(js):
    torch = pytest.importorskip("torch")
    states = logit_states(seed=7, count=200)
    results = js("return arg.map(([z, T]) => [M.softmax(z, T), M.logSoftmax(z, T),"
                 " M.softmaxJacobian(z, T)]);", states)
    for (z, t), (p, logp, jac) in zip(states, results, strict=True):
        zt = torch.tensor(z, dtype=torch.float64)
        close(p, torch.softmax(zt / t, 0).numpy())
        expected_logp = torch.log_softmax(zt / t, 0).numpy()
        close(logp, expected_logp, tol=TOL * max(1.0, np.abs(expected_logp).max()))
        expected = torch.autograd.functional.jacobian(lambda v, t=t: torch.softmax(v / t, 0), zt)
        close(jac, expected.numpy(), tol=TOL / t)

    rng = np.random.default_rng(8)
    cases = []
    for _ in range(200):
        d, k = int(rng.integers(1, 6)), int(rng.integers(2, 11))
        cases.append({"x": rng.normal(size=d).tolist(), "W": rng.normal(size=(d, k)).tolist(),
                      "b": rng.normal(size=k).tolist(), "y": int(rng.integers(0, k)),
                      "reg": float(rng.uniform(0, 2))})
    results = js("return arg.map((c) => { const g = M.exampleGradients(c.x, c.W, c.b, c.y,"
                 " c.reg); return [g.loss, g.dW, g.db,"
                 " M.probabilityWeightJacobian(c.x, g.p)]; });", cases)
    for case, (loss, dW, db, dp) in zip(cases, results, strict=True):
        x = torch.tensor(case["x"], dtype=torch.float64)
        W = torch.tensor(case["W"], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(case["b"], dtype=torch.float64, requires_grad=True)
        z = x @ W + b
        reference = (torch.nn.functional.cross_entropy(z[None], torch.tensor([case["y"]]))
                     + 0.5 * case["reg"] * (W**2).sum())
        reference.backward()
        assert loss == pytest.approx(reference.item(), rel=TOL, abs=TOL)
        close(dW, W.grad.numpy())
        close(db, b.grad.numpy())
        # dp_j/dW[i][k] by autograd, laid out [j][i][k].
        jac = torch.autograd.functional.jacobian(
            lambda weights, x=x, b=b: torch.softmax(x @ weights + b.detach(), 0),
            W.detach())
        close(dp, jac.numpy())
