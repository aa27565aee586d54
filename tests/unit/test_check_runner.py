"""The /check comparison: problem generation, timing, verdicts, and the code shown."""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np
import pytest

from explorer import loss_and_grad, loss_and_grad_naive, numerical_gradient, relative_error
from explorer.check_runner import (
    NOISE_FLOOR,
    PASS_THRESHOLD,
    best_time,
    called_helpers,
    code_without_docstring,
    compare,
    make_problem,
    verdict,
)


def test_problem_has_the_requested_shapes_and_is_reproducible():
    problem = make_problem(7, 3, 4, seed=5)
    assert problem.X.shape == (7, 3) and problem.W.shape == (3, 4)
    assert problem.b.shape == (4,) and problem.y.shape == (7,)
    assert set(problem.y) <= set(range(4))
    again = make_problem(7, 3, 4, seed=5)
    np.testing.assert_array_equal(problem.X, again.X)
    np.testing.assert_array_equal(problem.y, again.y)
    assert not np.array_equal(problem.X, make_problem(7, 3, 4, seed=6).X)


def test_small_weights_give_a_loss_near_log_k():
    problem = make_problem(200, 5, 6, seed=0)
    loss = loss_and_grad(problem.W, problem.b, problem.X, problem.y)[0]
    assert loss == pytest.approx(np.log(6), abs=0.05)


def test_compare_reports_each_method_against_independent_recomputation():
    problem = make_problem(30, 4, 3, seed=2)
    methods, differences = compare(problem, 0.3, budget=0.0)
    assert [m.name for m in methods] == ["vectorised", "naive", "numerical"]
    expected_loss, expected_dW, _ = loss_and_grad_naive(problem.W, problem.b, problem.X,
                                                        problem.y, 0.3)
    assert methods[0].loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(methods[1].dW, expected_dW, rtol=1e-12)
    assert methods[2].loss is None
    numeric = numerical_gradient(
        lambda W: loss_and_grad(W, problem.b, problem.X, problem.y, 0.3)[0], problem.W)
    np.testing.assert_allclose(methods[2].dW, numeric)
    assert all(m.seconds > 0 for m in methods)
    pairs = {(d.first, d.second): d for d in differences}
    assert set(pairs) == {("vectorised", "naive"), ("vectorised", "numerical"),
                          ("naive", "numerical")}
    gap = pairs[("vectorised", "numerical")]
    assert gap.dW == relative_error(methods[0].dW, methods[2].dW)
    assert gap.loss is None and gap.verdict == "pass"
    assert pairs[("vectorised", "naive")].loss < 1e-12


def test_verdict_thresholds():
    assert verdict(PASS_THRESHOLD / 2, 1.0) == "pass"
    assert verdict(0.5, NOISE_FLOOR / 10) == "noise"
    assert verdict(0.5, 1e-3) == "fail"
    assert verdict(PASS_THRESHOLD, 1e-3) == "fail"


def test_best_time_is_the_fastest_call_and_respects_its_limits():
    calls = []

    def work():
        calls.append(1)
        return sum(range(1000))

    best = best_time(work, min_repeats=3, max_repeats=5, budget=0.0)
    assert len(calls) == 3 and best > 0
    calls.clear()
    best_time(work, min_repeats=1, max_repeats=4, budget=10.0)
    assert len(calls) == 4


def test_called_helpers_finds_the_code_doing_the_work():
    names = [helper.__name__ for helper in called_helpers(loss_and_grad)]
    # Whatever the helpers are called, the vectorised loss is computed in one of them
    # or in loss_and_grad itself: their code together must contain the matrix product.
    code = inspect.getsource(loss_and_grad) + "".join(
        inspect.getsource(helper) for helper in called_helpers(loss_and_grad))
    assert "@" in code
    assert all(name.startswith("_") for name in names)
    assert all(h.__module__ == loss_and_grad.__module__ for h in called_helpers(loss_and_grad))


@pytest.mark.parametrize("function", [loss_and_grad, loss_and_grad_naive])
def test_code_without_docstring_keeps_every_statement(function):
    shown = code_without_docstring(function)
    original = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    stripped = ast.parse(shown).body[0]
    assert '"""' not in shown and f"def {function.__name__}" in shown
    assert ast.get_docstring(original)  # the original did have one
    assert [ast.dump(node) for node in stripped.body] == [
        ast.dump(node) for node in original.body[1:]]
