"""The /check comparison: problem generation, timing, verdicts, and the code shown."""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np
import pytest

from explorer import (
    loss_and_grad,
    loss_and_grad_naive,
    loss_and_grad_textbook,
    numerical_gradient,
    relative_error,
)
from explorer.page_logic.check import (
    METHOD_NAMES,
    NOISE_FLOOR,
    PASS_THRESHOLD,
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
    methods, differences = compare(problem, 0.3, repeats=1, min_seconds=0.0)
    assert [m.name for m in methods] == list(METHOD_NAMES)
    by_name = {m.name: m for m in methods}
    expected_loss, expected_dW, _ = loss_and_grad_naive(problem.W, problem.b, problem.X,
                                                        problem.y, 0.3)
    for name in ("vectorised", "optimised", "naive"):
        assert by_name[name].loss == pytest.approx(expected_loss, rel=1e-12), name
        np.testing.assert_allclose(by_name[name].dW, expected_dW, rtol=1e-12)
    textbook_dW = loss_and_grad_textbook(problem.W, problem.b, problem.X, problem.y, 0.3)[1]
    np.testing.assert_array_equal(by_name["vectorised"].dW, textbook_dW)
    assert by_name["numerical"].loss is None
    numeric = numerical_gradient(
        lambda W: loss_and_grad(W, problem.b, problem.X, problem.y, 0.3)[0], problem.W)
    np.testing.assert_allclose(by_name["numerical"].dW, numeric)
    assert all(m.seconds > 0 for m in methods)
    pairs = {(d.first, d.second): d for d in differences}
    assert set(pairs) == {(a, b) for i, a in enumerate(METHOD_NAMES)
                          for b in METHOD_NAMES[i + 1:]}
    gap = pairs[("vectorised", "numerical")]
    assert gap.dW == relative_error(by_name["vectorised"].dW, by_name["numerical"].dW)
    assert gap.loss is None and gap.verdict == "pass"
    assert pairs[("vectorised", "naive")].loss < 1e-12
    assert pairs[("vectorised", "optimised")].loss < 1e-12


def test_compare_times_every_method_in_interleaved_rounds(monkeypatch):
    import explorer.page_logic.check as runner

    seen = {}

    def fake_interleaved_best(functions, *, repeats, min_seconds):
        seen.update(names=list(functions), repeats=repeats, min_seconds=min_seconds)
        return {name: float(index + 1) for index, name in enumerate(functions)}

    monkeypatch.setattr(runner, "interleaved_best", fake_interleaved_best)
    methods, _ = compare(make_problem(5, 2, 3, seed=0), 0.0, repeats=4, min_seconds=0.01)
    assert seen == {"names": list(METHOD_NAMES), "repeats": 4, "min_seconds": 0.01}
    assert [m.seconds for m in methods] == [1.0, 2.0, 3.0, 4.0]


def test_verdict_thresholds():
    assert verdict(PASS_THRESHOLD / 2, 1.0) == "pass"
    assert verdict(0.5, NOISE_FLOOR / 10) == "noise"
    assert verdict(0.5, 1e-3) == "fail"
    assert verdict(PASS_THRESHOLD, 1e-3) == "fail"


def test_called_helpers_finds_the_code_doing_the_work():
    names = [helper.__name__ for helper in called_helpers(loss_and_grad)]
    # Whatever the helpers are called, the vectorised loss is computed in one of them
    # or in loss_and_grad itself: their code together must contain the matrix product.
    code = inspect.getsource(loss_and_grad) + "".join(
        inspect.getsource(helper) for helper in called_helpers(loss_and_grad))
    assert "@" in code
    assert all(name.startswith("_") for name in names)
    assert all(h.__module__ == loss_and_grad.__module__ for h in called_helpers(loss_and_grad))


@pytest.mark.parametrize("function", [loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook])
def test_code_without_docstring_keeps_every_statement(function):
    shown = code_without_docstring(function)
    original = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    stripped = ast.parse(shown).body[0]
    assert '"""' not in shown and f"def {function.__name__}" in shown
    assert ast.get_docstring(original)  # the original did have one
    assert [ast.dump(node) for node in stripped.body] == [
        ast.dump(node) for node in original.body[1:]]
