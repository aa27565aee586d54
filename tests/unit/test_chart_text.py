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


def test_bars_text_pairs_labels_and_values():
    text = chart_text.bars_text("time", ["naive", "vectorised"], [12.5, 0.25], unit=" ms")
    assert text == "Bar chart of time: naive 12.50 ms, vectorised 0.25 ms."
    with pytest.raises(ValueError):
        chart_text.bars_text("time", ["a"], [1.0, 2.0])
