"""The numbers of the /softmax lesson: the view, the Jacobian checks and one entry's derivation.

References are independent of the code under test: the loss from ``math`` on a hand-written
sum, Jacobian entries from central differences of the softmax, and hand-made matrices whose
row sums, asymmetry and rank are known.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.gradcheck import numerical_gradient
from explorer.page_logic.softmax import (
    EXP_OVERFLOW,
    OVERFLOW_SHIFT,
    entry_derivation,
    jacobian_checks,
    softmax_view,
    tex_number,
)
from explorer.softmax import softmax, softmax_jacobian

DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0)


def reference_loss(z, t, y) -> float:
    """``-log(exp(z_y/T) / sum_k exp(z_k/T))`` in plain floating point (moderate z only)."""
    total = math.fsum(math.exp(value / t) for value in z)
    return -math.log(math.exp(z[y] / t) / total)


@pytest.mark.parametrize("t", [0.3, 1.0, 4.0])
@pytest.mark.parametrize("y", [0, 2, 3])
def test_view_matches_the_library_and_an_independent_loss(t, y):
    view = softmax_view(DEFAULT_LOGITS, t, y)
    np.testing.assert_array_equal(view.p, softmax(DEFAULT_LOGITS, t))
    np.testing.assert_array_equal(view.jacobian, softmax_jacobian(DEFAULT_LOGITS, t))
    np.testing.assert_array_equal(view.one_hot, np.eye(4)[y])
    np.testing.assert_allclose(view.error, view.p - np.eye(4)[y], atol=0)
    assert view.loss == pytest.approx(reference_loss(DEFAULT_LOGITS, t, y), rel=1e-12)
    assert view.shift == 0.0 and view.classes == 4


def test_overflow_demo_breaks_the_textbook_formula_only():
    view = softmax_view(DEFAULT_LOGITS, 1.0, 0, overflow_demo=True)
    np.testing.assert_array_equal(view.logits, np.array(DEFAULT_LOGITS) + OVERFLOW_SHIFT)
    assert view.logits.max() / view.temperature > EXP_OVERFLOW
    assert np.isnan(view.p_naive).any()
    # A common shift changes nothing in the stable softmax: not flattened to one-hot.
    np.testing.assert_allclose(view.p, softmax(DEFAULT_LOGITS, 1.0), rtol=0, atol=1e-13)
    np.testing.assert_allclose(view.jacobian, softmax_jacobian(DEFAULT_LOGITS, 1.0), atol=1e-13)
    assert view.loss == pytest.approx(reference_loss(DEFAULT_LOGITS, 1.0, 0), rel=1e-12)
    assert not view.saturated


def test_overflow_demo_at_a_high_temperature_leaves_the_textbook_formula_finite():
    view = softmax_view(DEFAULT_LOGITS, 10.0, 0, overflow_demo=True)
    assert view.logits.max() / view.temperature < EXP_OVERFLOW
    np.testing.assert_allclose(view.p_naive, view.p, rtol=1e-12)


def test_without_overflow_the_textbook_formula_agrees():
    view = softmax_view(DEFAULT_LOGITS, 0.5, 1)
    np.testing.assert_allclose(view.p_naive, view.p, rtol=1e-13)


@pytest.mark.parametrize(("t", "saturated"), [(1.0, False), (0.1, True), (20.0, False)])
def test_saturation_means_max_p_above_0_99(t, saturated):
    view = softmax_view(DEFAULT_LOGITS, t, 0)
    assert view.saturated is saturated
    assert view.saturated is bool(softmax(DEFAULT_LOGITS, t).max() > 0.99)


def test_view_rejects_a_target_outside_the_classes():
    with pytest.raises(ValueError, match="target"):
        softmax_view(DEFAULT_LOGITS, 1.0, 4)


@pytest.mark.parametrize("k", range(2, 11))
def test_checks_on_the_softmax_jacobian(k):
    # Many draws: with numpy's default tolerance about 6% of them would report rank K.
    for seed in range(100):
        z = np.random.default_rng(seed).uniform(-3, 3, size=k)
        checks = jacobian_checks(softmax_jacobian(z, 0.7))
        assert checks.max_row_sum < 1e-14 and checks.max_col_sum < 1e-14
        assert checks.max_asymmetry == 0.0
        assert checks.rank == k - 1 and checks.classes == k


def test_rank_drops_when_p_is_one_hot():
    z = np.array([100.0, 0.0, 0.0])
    assert jacobian_checks(softmax_jacobian(z, 0.05)).rank == 0


def test_checks_measure_what_they_say():
    # Rows sum to 3, 2, 5; columns to 2, 10, -2; J - J^T has entries 2, -1, -6; row 3 = 1 + 2.
    matrix = np.array([[1.0, 2.0, 0.0], [0.0, 3.0, -1.0], [1.0, 5.0, -1.0]])
    checks = jacobian_checks(matrix)
    assert checks.max_row_sum == 5.0
    assert checks.max_col_sum == 10.0
    assert checks.max_asymmetry == 6.0
    assert checks.rank == 2


@pytest.mark.parametrize("t", [0.05, 0.7, 1.0, 20.0])
def test_derivation_value_is_the_jacobian_entry_and_a_finite_difference(t):
    z = np.array([0.4, -1.2, 2.0, 0.1, -0.3])
    p = softmax(z, t)
    jac = softmax_jacobian(z, t)
    for i in range(5):
        # Central differences of p_i as a function of z, an independent oracle.
        numerical = numerical_gradient(lambda w, i=i: float(softmax(w, t)[i]), z.copy(), h=1e-6)
        for j in range(5):
            story = entry_derivation(p, t, i, j)
            assert story.value == pytest.approx(jac[i, j], rel=1e-12, abs=1e-300)
            assert story.value == pytest.approx(numerical[j], rel=1e-5, abs=1e-8)
            assert story.diagonal is (i == j)
            assert (story.value > 0) is (i == j) or story.value == 0


def test_derivation_shows_the_case_and_the_current_numbers():
    p = softmax(DEFAULT_LOGITS, 0.7)
    diagonal = entry_derivation(p, 0.7, 2, 2)
    assert "i = j = 2" in diagonal.summary
    assert r"p_{2} \left(1 - p_{2}\right)" in diagonal.latex[2]
    assert diagonal.latex[-1].endswith(tex_number(p[2] * (1 - p[2]) / 0.7))
    assert tex_number(p[2]) in diagonal.latex[-1] and "0.7" in diagonal.latex[-1]

    off = entry_derivation(p, 0.7, 0, 3)
    assert "i = 0, j = 3" in off.summary
    assert r"-\frac{1}{T}\, p_{0}\, p_{3}" in off.latex[2]
    assert off.latex[-1].endswith(tex_number(-p[0] * p[3] / 0.7))
    assert tex_number(p[0]) in off.latex[-1] and tex_number(p[3]) in off.latex[-1]


def test_derivation_rejects_an_entry_outside_the_matrix():
    with pytest.raises(ValueError, match=r"0\.\.3"):
        entry_derivation(softmax(DEFAULT_LOGITS), 1.0, 4, 0)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (0.23456789, "0.2346"),
        (-0.1498, "-0.1498"),
        (1.5e-5, r"1.500 \times 10^{-5}"),
        (-2.5e7, r"-2.500 \times 10^{7}"),
        (float("nan"), r"\mathrm{nan}"),
        (float("inf"), r"\infty"),
    ],
)
def test_tex_number(value, text):
    assert tex_number(value) == text
