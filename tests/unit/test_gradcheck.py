"""numerical_gradient and relative_error (docs/math.md section 8) on known derivatives."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.gradcheck import numerical_gradient, relative_error

# --- relative_error ----------------------------------------------------------------------


def test_relative_error_of_equal_arrays_is_zero():
    a = np.array([[1.5, -2.0], [0.0, 3e-9]])
    assert relative_error(a, a.copy()) == 0.0


def test_relative_error_of_opposite_signs_is_one():
    assert relative_error([2.0], [-2.0]) == 1.0
    assert relative_error([1.0, -3.0], [-1.0, 3.0]) == 1.0


def test_relative_error_floor_for_two_zeros_and_tiny_values():
    assert relative_error([0.0], [0.0]) == 0.0
    # |a - n| / max(1e-12, |a| + |n|): below the floor the error is measured against 1e-12.
    assert relative_error([1e-13], [0.0]) == pytest.approx(0.1, rel=1e-12)
    assert relative_error([3e-12], [1e-12]) == pytest.approx(0.5, rel=1e-12)


def test_relative_error_follows_the_definition_elementwise_and_takes_the_max():
    a = np.array([1.0, 1e-6, 5.0])
    n = np.array([1.0, 2e-6, 4.0])
    expected = max(0.0, 1e-6 / 3e-6, 1.0 / 9.0)
    assert relative_error(a, n) == pytest.approx(expected, rel=1e-12)
    assert relative_error(n, a) == relative_error(a, n)
    # Scale-free: the same relative disagreement at any magnitude.
    assert relative_error(a * 1e8, n * 1e8) == pytest.approx(expected, rel=1e-12)


def test_relative_error_of_empty_arrays_is_zero():
    assert relative_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0


def test_relative_error_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"a and n must have the same shape"):
        relative_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"same shape"):
        relative_error(np.zeros((2, 3)), np.zeros((3, 2)))


# --- numerical_gradient ------------------------------------------------------------------


def test_numerical_gradient_of_a_sum_of_sines_is_the_cosine():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, size=12)  # cos(x) >= 0.54: no entry near 0
    numerical = numerical_gradient(lambda v: float(np.sum(np.sin(v))), x)
    assert numerical.shape == x.shape
    assert relative_error(numerical, np.cos(x)) < 1e-9


def test_numerical_gradient_on_a_2d_array():
    rng = np.random.default_rng(1)
    x = rng.uniform(0.5, 2.0, size=(3, 4))
    weights = rng.normal(size=(3, 4))
    numerical = numerical_gradient(lambda v: float(np.sum(weights * v**3)), x)
    assert numerical.shape == (3, 4)
    assert relative_error(numerical, 3 * weights * x**2) < 1e-8


def test_numerical_gradient_is_exact_up_to_rounding_for_a_quadratic():
    # Central differences have no truncation error on a quadratic: f = 0.5 x^T A x + c^T x.
    rng = np.random.default_rng(2)
    A = rng.normal(size=(5, 5))
    c = rng.normal(size=5)
    x = rng.normal(size=5)
    numerical = numerical_gradient(lambda v: float(0.5 * v @ A @ v + c @ v), x, h=1e-3)
    np.testing.assert_allclose(numerical, 0.5 * (A + A.T) @ x + c, rtol=1e-10, atol=1e-10)


def test_numerical_gradient_does_not_mutate_x():
    x = np.array([[0.3, -1.2], [2.0, 0.0]])
    before = x.copy()
    numerical_gradient(lambda v: float(np.sum(v**2)), x)
    np.testing.assert_array_equal(x, before)


def test_f_gets_a_fresh_array_of_the_shape_of_x_each_call():
    x = np.arange(6, dtype=float).reshape(2, 3)
    seen = []

    def greedy(v):
        assert v.shape == (2, 3)
        seen.append(v)
        value = float(np.sum(v**2))
        v[...] = 1e9  # an f that scribbles on its argument must not corrupt later calls
        return value

    numerical = numerical_gradient(greedy, x)
    np.testing.assert_allclose(numerical, 2 * np.arange(6).reshape(2, 3), rtol=1e-9, atol=1e-9)
    assert len(seen) == 2 * x.size
    assert all(v is not x for v in seen)
    np.testing.assert_array_equal(x, np.arange(6, dtype=float).reshape(2, 3))


def test_numerical_gradient_error_shrinks_like_h_squared():
    # The truncation error of central differences is h^2 / 6 * f''' : ten times smaller h,
    # a hundred times smaller error (until rounding takes over).
    x = np.array([0.4])
    errors = [
        abs(numerical_gradient(lambda v: float(np.exp(3 * v[0])), x, h=h)[0] - 3 * np.exp(1.2))
        for h in (1e-2, 1e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(100.0, rel=0.01)
    assert errors[0] == pytest.approx((1e-2) ** 2 / 6 * 27 * np.exp(1.2), rel=0.01)


def test_numerical_gradient_of_a_scalar_point():
    numerical = numerical_gradient(lambda v: float(v**3), 2.0)
    assert numerical.shape == ()
    assert float(numerical) == pytest.approx(12.0, rel=1e-9)


def test_numerical_gradient_accepts_lists_and_integer_points():
    numerical = numerical_gradient(lambda v: float(np.sum(v * v)), [1, 2, 3])
    np.testing.assert_allclose(numerical, [2.0, 4.0, 6.0], rtol=1e-9)
