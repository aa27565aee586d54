"""Properties of softmax, log_softmax and the softmax Jacobian (docs/math.md sections 2 and 3).

References are independent of the code under test: ``p_i = 1 / sum_k exp((z_k - z_i) / T)``
(a different formula from the max-shifted ratio), closed forms for two classes, and central
differences written here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from explorer.gradcheck import relative_error
from explorer.softmax import log_softmax, softmax, softmax_jacobian, softmax_naive

BIG = 1e4
logit = st.floats(-BIG, BIG, allow_nan=False, allow_infinity=False)
# Log-uniform over 1e-3..1e3, so that both extremes are drawn.
temperature = st.floats(-3.0, 3.0).map(lambda e: 10.0**e)
logit_vectors = hnp.arrays(np.float64, st.integers(1, 10), elements=logit)
PROPERTY = settings(max_examples=60, deadline=None)


def reference_softmax(z, t, axis=-1):
    """``p_i = 1 / sum_k exp((z_k - z_i) / T)``: no max shift; exp may overflow to inf (p -> 0)."""
    moved = np.moveaxis(np.asarray(z, dtype=np.float64), axis, -1)
    with np.errstate(over="ignore"):
        differences = (moved[..., None, :] - moved[..., :, None]) / t
        p = 1.0 / np.exp(differences).sum(axis=-1)
    return np.moveaxis(p, -1, axis)


def central_jacobian(z, t, h):
    """``J[i, j] = (p_i(z + h e_j) - p_i(z - h e_j)) / (2h)`` for a vector ``z``."""
    k = z.size
    jac = np.empty((k, k))
    for j in range(k):
        step = np.zeros(k)
        step[j] = h
        jac[:, j] = (softmax(z + step, t) - softmax(z - step, t)) / (2 * h)
    return jac


# --- softmax -----------------------------------------------------------------------------


@PROPERTY
@given(z=logit_vectors, t=temperature)
def test_softmax_is_a_finite_probability_vector(z, t):
    p = softmax(z, t)
    assert p.shape == z.shape
    assert np.all(np.isfinite(p))
    assert np.all(p >= 0)
    assert math.fsum(p) == pytest.approx(1.0, abs=1e-12)


@PROPERTY
@given(z=logit_vectors, t=temperature)
def test_softmax_matches_the_unshifted_reference(z, t):
    np.testing.assert_allclose(softmax(z, t), reference_softmax(z, t), rtol=1e-6, atol=1e-12)


@PROPERTY
@given(
    z=hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-100, 100)),
    c=st.floats(-1e3, 1e3),
    t=st.floats(-1.0, 2.0).map(lambda e: 10.0**e),
)
def test_softmax_is_invariant_to_shifting_every_logit(z, c, t):
    np.testing.assert_allclose(softmax(z + c, t), softmax(z, t), rtol=1e-9, atol=1e-14)


@PROPERTY
@given(
    z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, max_side=5), elements=logit),
    t=temperature,
    data=st.data(),
)
def test_softmax_on_any_axis_of_2d_and_3d_inputs(z, t, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1), label="axis")
    p = softmax(z, t, axis=axis)
    assert p.shape == z.shape
    assert np.all(np.isfinite(p))
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, atol=1e-12)
    np.testing.assert_allclose(p, reference_softmax(z, t, axis), rtol=1e-6, atol=1e-12)


def test_softmax_of_a_batch_is_softmax_of_each_row():
    rng = np.random.default_rng(0)
    z = rng.normal(scale=3.0, size=(7, 4))
    rows = np.stack([softmax(row, 0.7) for row in z])
    np.testing.assert_allclose(softmax(z, 0.7), rows, rtol=1e-15, atol=0)
    np.testing.assert_allclose(softmax(z.T, 0.7, axis=0), rows.T, rtol=1e-15, atol=0)


def test_temperature_flattens_and_sharpens():
    z = np.array([2.0, 1.0, -1.0])
    assert np.allclose(softmax(z, 1e6), 1 / 3, atol=1e-6)
    assert softmax(z, 1e-3)[0] == pytest.approx(1.0, abs=1e-300)
    assert softmax(z, 0.5)[0] > softmax(z, 1.0)[0] > softmax(z, 2.0)[0]


def test_softmax_does_not_modify_its_input():
    z = np.array([[3.0, -1.0, 2.0]])
    before = z.copy()
    softmax(z, 0.3)
    log_softmax(z, 0.3)
    softmax_jacobian(z, 0.3)
    np.testing.assert_array_equal(z, before)


def test_extreme_logits_and_tiny_temperature_stay_finite():
    # z / T alone would overflow to +-inf (and inf - inf = nan); shifting first avoids it.
    z = np.array([1e300, -1e300, 0.0])
    np.testing.assert_array_equal(softmax(z, 1e-10), [1.0, 0.0, 0.0])
    assert log_softmax(z, 1e-3)[0] == 0.0
    assert log_softmax(z, 1e-3)[2] == pytest.approx(-1e303)


# --- the naive softmax -------------------------------------------------------------------


def test_textbook_softmax_overflows_where_the_stable_one_does_not():
    z = np.array([1000.0, 0.0, -1000.0])
    naive = softmax_naive(z)
    assert np.isnan(naive).any()
    stable = softmax(z)
    assert np.all(np.isfinite(stable))
    # p_0 = 1 / (1 + e^-1000 + e^-2000) rounds to 1; the others are e^-1000 and e^-2000 (= 0).
    np.testing.assert_allclose(stable, [1.0, 0.0, 0.0], atol=1e-300)


@PROPERTY
@given(
    z=hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-30, 30)),
    t=st.floats(0.5, 10.0),
)
def test_textbook_softmax_equals_the_stable_one_for_small_logits(z, t):
    np.testing.assert_allclose(softmax_naive(z, t), softmax(z, t), rtol=1e-12, atol=1e-300)


# --- log_softmax -------------------------------------------------------------------------


@PROPERTY
@given(z=logit_vectors, t=temperature)
def test_log_softmax_is_finite_and_equals_log_of_softmax_where_that_is_finite(z, t):
    log_p = log_softmax(z, t)
    assert np.all(np.isfinite(log_p))
    assert np.all(log_p <= 0)
    p = softmax(z, t)
    # Where p is 0, log(p) is -inf; where p is subnormal (< 2.2e-308) it has lost digits and so
    # has log(p). Elsewhere the two agree.
    normal = p >= np.finfo(np.float64).tiny
    assert normal.any()  # the largest logit always has p >= 1/K
    np.testing.assert_allclose(log_p[normal], np.log(p[normal]), rtol=1e-9, atol=1e-12)


@PROPERTY
@given(gap=st.floats(0.0, 2 * BIG), t=temperature)
def test_log_softmax_of_two_classes_matches_the_closed_form(gap, t):
    # log p_1 for z = [0, -gap] is -gap/T - log(1 + e^(-gap/T)), even where p_1 underflows to 0.
    u = gap / t
    expected = [-math.log1p(math.exp(-u)), -u - math.log1p(math.exp(-u))]
    np.testing.assert_allclose(log_softmax([0.0, -gap], t), expected, rtol=1e-12, atol=1e-15)


def test_log_softmax_is_finite_where_softmax_underflows():
    z = np.array([0.0, -800.0, -5000.0])
    assert softmax(z)[1] == 0.0
    np.testing.assert_allclose(log_softmax(z), [0.0, -800.0, -5000.0], rtol=1e-15)


@PROPERTY
@given(
    z=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, max_side=5), elements=logit),
    t=temperature,
    data=st.data(),
)
def test_log_softmax_on_any_axis_normalises(z, t, data):
    axis = data.draw(st.integers(-z.ndim, z.ndim - 1), label="axis")
    log_p = log_softmax(z, t, axis=axis)
    assert np.all(np.isfinite(log_p))
    # log-sum-exp of log-probabilities is 0, computed independently with logaddexp.
    np.testing.assert_allclose(np.logaddexp.reduce(log_p, axis=axis), 0.0, atol=1e-12)


# --- the Jacobian ------------------------------------------------------------------------

unsaturated_logits = hnp.arrays(np.float64, st.integers(2, 10), elements=st.floats(-3, 3))


@PROPERTY
@given(z=logit_vectors, t=temperature)
def test_jacobian_is_symmetric_with_rows_and_columns_summing_to_zero(z, t):
    jac = softmax_jacobian(z, t)
    k = z.size
    assert jac.shape == (k, k)
    assert np.all(np.isfinite(jac))
    np.testing.assert_allclose(jac, jac.T, rtol=0, atol=1e-15 / t)
    scale = 1e-15 * k / t
    np.testing.assert_allclose(jac.sum(axis=0), 0.0, atol=scale)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=scale)
    off_diagonal = jac[~np.eye(k, dtype=bool)]
    assert np.all(off_diagonal <= 0)
    assert np.all(np.diag(jac) >= 0)


@PROPERTY
@given(z=unsaturated_logits, t=st.floats(0.5, 2.0))
def test_jacobian_of_unsaturated_logits_has_rank_k_minus_1(z, t):
    jac = softmax_jacobian(z, t)
    k = z.size
    # Every p_i >= e^-12 / K here, so the non-zero singular values are far above 1e-10.
    assert np.linalg.matrix_rank(jac, tol=1e-10) == k - 1
    np.testing.assert_allclose(jac @ np.ones(k), 0.0, atol=1e-14)
    assert np.all(np.diag(jac) > 0)
    assert np.all(jac[~np.eye(k, dtype=bool)] < 0)


@PROPERTY
@given(
    z=hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 8)), elements=logit),
    t=temperature,
)
def test_batch_jacobian_equals_the_jacobian_of_each_row(z, t):
    batch = softmax_jacobian(z, t)
    assert batch.shape == (z.shape[0], z.shape[1], z.shape[1])
    for row, jac in zip(z, batch, strict=True):
        np.testing.assert_allclose(jac, softmax_jacobian(row, t), rtol=1e-14, atol=1e-300)


def test_jacobian_saturates_towards_zero():
    z = np.array([1.0, 0.5, -0.3, 2.0, -1.2])
    sizes = [np.abs(softmax_jacobian(scale * z)).max() for scale in (1, 10, 100, 1000)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-1] < 1e-100


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("t", [0.25, 0.5, 1.0, 2.0, 5.0])
def test_jacobian_matches_central_differences(seed, t):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=t, size=rng.integers(2, 11))
    numerical = central_jacobian(z, t, h=1e-5 * t)
    assert relative_error(softmax_jacobian(z, t), numerical) < 1e-7


@pytest.mark.parametrize("seed", range(5))
def test_jacobian_scales_by_one_over_temperature(seed):
    rng = np.random.default_rng(seed)
    # Logits within +-1 keep every p_i >= e^-4 / 6 at T = 0.5: no entry is tiny enough for
    # the rounding error of the differences to dominate it.
    z = rng.uniform(-1.0, 1.0, size=6)
    # softmax(z, T) = softmax(z / T, 1), so by the chain rule J(z, T) = J(z / T, 1) / T.
    for t in (0.5, 1.0, 4.0, 50.0):
        numerical_at_one = central_jacobian(z / t, 1.0, h=1e-5)
        assert relative_error(softmax_jacobian(z, t) * t, numerical_at_one) < 1e-7
        numerical = central_jacobian(z, t, h=1e-5 * t)
        assert relative_error(softmax_jacobian(z, t), numerical) < 1e-7
    # Same probabilities, twice the temperature: half the Jacobian.
    np.testing.assert_allclose(
        softmax_jacobian(2 * z, 2.0), softmax_jacobian(z, 1.0) / 2, rtol=1e-13
    )


def test_jacobian_of_two_classes_matches_the_logistic_derivative():
    # For K = 2, p_0 = sigmoid(z0 - z1), whose derivative is s (1 - s).
    z = np.array([0.7, -0.4])
    s = 1.0 / (1.0 + math.exp(-(z[0] - z[1])))
    d = s * (1 - s)
    np.testing.assert_allclose(softmax_jacobian(z), [[d, -d], [-d, d]], rtol=1e-14)
