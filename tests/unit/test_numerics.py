"""The numerical kernel: log-sum-exp, log-softmax, shifted exponentials, the feature map.

References are independent of the code under test: exact sums of ``exp`` in Python's
``math.fsum`` on values small enough not to overflow, and the identity
``logsumexp(z + c) = logsumexp(z) + c`` for shifts far past the overflow of ``exp``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from explorer.numerics import (
    FEATURE_KINDS,
    feature_count,
    feature_map,
    log_softmax,
    logsumexp,
    quadratic_features,
    shifted_exp,
)

small = st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False)
rows = hnp.arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 8)), elements=small)
PROPERTY = settings(max_examples=60, deadline=None)


@PROPERTY
@given(rows)
def test_logsumexp_matches_an_exact_sum_of_exponentials(z):
    expected = [math.log(math.fsum(math.exp(v) for v in row)) for row in z]
    np.testing.assert_allclose(logsumexp(z, axis=1), expected, rtol=1e-14, atol=1e-14)
    expected_columns = [math.log(math.fsum(math.exp(v) for v in column)) for column in z.T]
    np.testing.assert_allclose(logsumexp(z, axis=0), expected_columns, rtol=1e-14, atol=1e-14)


@PROPERTY
@given(rows, st.floats(-1e300, 1e300))
def test_logsumexp_shifts_with_its_input_even_past_overflow(z, shift):
    shifted = logsumexp(z + shift, axis=1, keepdims=True)
    assert shifted.shape == (z.shape[0], 1)
    np.testing.assert_allclose(shifted, logsumexp(z, axis=1, keepdims=True) + shift,
                               rtol=1e-12, atol=1e-10)


def test_logsumexp_of_no_entries_is_minus_infinity():
    assert np.array_equal(logsumexp(np.empty((3, 0)), axis=1), np.full(3, -np.inf))
    assert logsumexp(np.empty((3, 0)), axis=1, keepdims=True).shape == (3, 1)


def test_log_softmax_stays_finite_where_the_probability_underflows():
    out = log_softmax(np.array([[0.0, 1000.0]]))
    np.testing.assert_array_equal(out, [[-1000.0, 0.0]])


@PROPERTY
@given(rows)
def test_shifted_exp_gives_softmax_and_logsumexp(z):
    top, exps, sums = shifted_exp(z, axis=1)
    assert top.shape == sums.shape == (z.shape[0], 1)
    assert np.all(sums >= 1.0) and np.all(exps <= 1.0)
    probs = [[1.0 / math.fsum(math.exp(u - v) for u in row) for v in row] for row in z]
    np.testing.assert_allclose(exps / sums, probs, rtol=1e-13)
    np.testing.assert_allclose((np.log(sums) + top)[:, 0], logsumexp(z, axis=1), rtol=1e-15)


def test_shifted_exp_in_place_reuses_the_scores():
    z = np.array([[1.0, 2.0], [3.0, -1.0]])
    _, exps, _ = shifted_exp(z, axis=0, overwrite=True)
    assert exps is z
    np.testing.assert_allclose(z, [[math.exp(-2.0), 1.0], [1.0, math.exp(-3.0)]])


def test_feature_maps():
    X = np.array([[2.0, -3.0], [0.5, 4.0]])
    assert FEATURE_KINDS == ("raw", "quadratic")
    np.testing.assert_array_equal(feature_map(X, "raw"), X)
    expected = [[2.0, -3.0, 4.0, 9.0, -6.0], [0.5, 4.0, 0.25, 16.0, 2.0]]
    np.testing.assert_array_equal(quadratic_features(X), expected)
    np.testing.assert_array_equal(feature_map(X, "quadratic"), expected)
    with pytest.raises(ValueError, match="shape"):
        feature_map(np.ones((2, 3)), "quadratic")
    with pytest.raises(ValueError, match="finite"):
        feature_map([[np.nan, 1.0]], "quadratic")


def test_feature_count_is_the_width_of_the_feature_map():
    points = np.array([[0.5, -2.0], [1.0, 3.0], [0.0, 0.0]])
    for kind in FEATURE_KINDS:
        assert feature_count(kind) == feature_map(points, kind).shape[1]
    assert (feature_count("raw"), feature_count("quadratic")) == (2, 5)
