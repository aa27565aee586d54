"""/check in AppTest: the three methods agree, the code shown is the code that runs, and
the controls change the problem."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer import loss_and_grad, loss_and_grad_naive, loss_and_grad_textbook
from explorer.page_logic.check import make_problem
from explorer.settings import specs
from tests.app import page_probe

PAGE = "explorer/pages/check_page.py"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = page_probe.open_page(
        PAGE, {key: [value] for key, value in (query or {}).items()}, timeout=90
    )
    assert not at.exception, at.exception
    return at


def tables(at: AppTest):
    """The page's two tables: the methods, then the pairwise differences."""
    return [table.value for table in at.table]


def shown_losses(at: AppTest) -> dict[str, float]:
    methods = tables(at)[0]
    return {name.strip("`"): float(value) for name, value in methods["loss"].items()
            if value != "—"}


def test_the_three_methods_agree_on_the_default_problem():
    at = open_page()
    n, d, k = specs.CHECK_N.default, specs.CHECK_D.default, specs.CHECK_K.default
    problem = make_problem(n, d, k, specs.CHECK_SEED.default)
    expected = loss_and_grad_naive(problem.W, problem.b, problem.X, problem.y,
                                   specs.CHECK_REG.default)[0]
    losses = shown_losses(at)
    assert set(losses) == {"vectorised", "optimised", "naive"}
    for loss in losses.values():
        assert loss == pytest.approx(expected, abs=1e-9)
    differences = tables(at)[1]
    relative = differences["dW: max relative difference"].astype(float)
    assert relative.max() < 1e-7
    assert float(differences["loss: relative difference"].iloc[0]) < 1e-12
    assert all("pass" in verdict for verdict in differences["verdict"])
    times = tables(at)[0]["best time"]
    assert all(value.endswith(" ms") and float(value[:-3]) > 0 for value in times)
    speed_up = next(m for m in at.metric if m.label.startswith("Vectorised speed-up"))
    assert float(speed_up.value.rstrip("×").replace(",", "")) > 0


def test_the_source_shown_is_the_source_that_runs():
    at = open_page()
    code = "\n".join(block.value for block in at.code)
    assert "def loss_and_grad_textbook(" in code
    assert "def loss_and_grad_naive(" in code
    assert "def loss_and_grad(" in code  # the optimised variant, in its expander
    # Every statement line of every implementation appears verbatim on the page.
    for function in (loss_and_grad_textbook, loss_and_grad_naive, loss_and_grad):
        body = inspect.getsource(function).split('"""')[-1]
        for line in body.splitlines():
            if line.strip():
                assert line in code, line


def test_changing_n_d_k_changes_the_problem():
    at = open_page()
    before = shown_losses(at)["vectorised"]
    at.slider(key="k").set_value(7).run()
    at.slider(key="d").set_value(5).run()
    at.slider(key="n").set_value(120).run()
    assert not at.exception
    problem = make_problem(120, 5, 7, specs.CHECK_SEED.default)
    expected = loss_and_grad(problem.W, problem.b, problem.X, problem.y,
                             specs.CHECK_REG.default)[0]
    after = shown_losses(at)["vectorised"]
    assert after != before
    assert after == pytest.approx(expected, abs=1e-9)
    assert "120 × 5" in " ".join(caption.value for caption in at.caption)
    assert tables(at)[0]["work"].iloc[3] == f"{2 * 5 * 7} loss evaluations"


def test_largest_problem_still_agrees():
    at = open_page({"n": "500", "d": "10", "k": "10", "seed": "3"})
    differences = tables(at)[1]
    assert float(differences["dW: max relative difference"].iloc[0]) < 1e-12
    absolute = differences["dW: max absolute difference"].astype(float)
    assert np.all(absolute < 1e-8)


def test_malformed_link_falls_back_with_a_warning():
    at = open_page({"n": "0", "d": "x", "reg": "inf"})
    warning = " ".join(box.value for box in at.warning)
    for key in ("n", "d", "reg"):
        assert f"`{key}`" in warning
    assert f"X: {specs.CHECK_N.default} × {specs.CHECK_D.default}" in " ".join(
        caption.value for caption in at.caption)
