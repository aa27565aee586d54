"""Text alternatives of the charts (explorer/chart_text.py): the numbers they state are the
numbers handed in, rounded as written, with the largest/smallest found independently."""

from __future__ import annotations

import numpy as np
import pytest

from explorer import chart_text


def test_number_rounds_uses_a_true_minus_and_never_writes_minus_zero():
    assert chart_text.number(0.6381) == "0.64"
    assert chart_text.number(-1.5, 1) == "−1.5"
    assert chart_text.number(-0.001) == "0.00"
    assert chart_text.number(-0.0) == "0.00"


def test_probabilities_text_states_p_the_largest_class_and_the_target():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    p = np.exp(z) / np.exp(z).sum()
    text = chart_text.probabilities_text(z, p, target=2)
    assert "p = 0.64, 0.23, 0.10, 0.03" in text
    assert "largest: class 0 (p = 0.64)" in text
    assert "target class y = 2 (p = 0.10)" in text
    assert "z = 2.00, 1.00, 0.10, −1.00" in text


def test_probabilities_text_finds_the_largest_wherever_it_is():
    p = np.array([0.1, 0.2, 0.6, 0.1])
    assert "largest: class 2" in chart_text.probabilities_text(np.zeros(4), p, 0)


def test_error_text_names_the_target_entry():
    error = np.array([-0.36, 0.24, 0.1, 0.02])
    text = chart_text.error_text(error, 0)
    assert "p − y = −0.36, 0.24, 0.10, 0.02" in text and "class 0 has −0.36" in text


def test_small_matrix_is_listed_row_by_row_with_its_extremes():
    matrix = np.array([[0.2, -0.15], [-0.15, 0.3]])
    text = chart_text.matrix_text("J", matrix, rows="i", columns="j")
    assert "2 × 2" in text
    assert "i 0: 0.20, −0.15; i 1: −0.15, 0.30" in text
    assert "Smallest −0.15 at i 0, j 1" in text
    assert "largest 0.30 at i 1, j 1" in text


def test_large_matrix_is_summarised_by_its_diagonal_and_extremes():
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(10, 10))
    text = chart_text.matrix_text("J", matrix, rows="i", columns="j")
    assert "Diagonal: " + chart_text.numbers(np.diag(matrix)) in text
    i, j = divmod(int(np.argmax(matrix)), 10)
    assert f"largest {chart_text.number(matrix.max())} at i {i}, j {j}" in text
    assert text.count(";") < 5  # not every row


def test_curve_text_skips_non_finite_values():
    values = np.array([1.2, 0.8, 0.5, 0.6, np.nan])
    text = chart_text.curve_text("loss", values)
    assert text == "loss from 1.200 at step 0 to 0.600 at step 3; lowest 0.500 at step 2."
    assert "no finite value" in chart_text.curve_text("loss", np.array([np.inf]))


def test_bars_text_pairs_labels_and_values():
    text = chart_text.bars_text("time", ["naive", "vectorised"], [12.5, 0.25], unit=" ms")
    assert text == "Bar chart of time: naive 12.50 ms, vectorised 0.25 ms."
    with pytest.raises(ValueError):
        chart_text.bars_text("time", ["a"], [1.0, 2.0])


def test_regions_text_gives_the_accuracy_as_a_percentage():
    text = chart_text.regions_text(3, points=300, accuracy=0.9567, extra="More.")
    assert "3 classes" in text and "300 points" in text and "95.7%" in text
    assert text.endswith("More.")
