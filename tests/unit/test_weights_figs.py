"""Figure builders of /weights and /check: they hold exactly the numbers they are given."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.figures.check_figs import timing_figure
from explorer.figures.weights_figs import matrix_heatmap, weight_gradient_heatmap


def test_heatmap_holds_the_values_and_is_centred_at_zero():
    values = np.array([[0.25, -1.5, 3.0], [1e-4, 0.0, -2.0]])
    figure = weight_gradient_heatmap(values, title="dL/dW")
    (trace,) = figure.data
    np.testing.assert_array_equal(np.asarray(trace.z), values.astype(np.float32))
    assert trace.zmid == 0.0
    assert trace.zmin == -trace.zmax == pytest.approx(-3.0)
    assert list(trace.y) == ["x1", "x2"]
    assert list(trace.x) == ["0", "1", "2"]
    assert figure.layout.xaxis.title.text == "class"
    assert figure.layout.title.text == "dL/dW"


def test_heatmap_shares_a_given_scale_and_outlines_highlighted_cells():
    values = np.array([[0.1, 0.2], [0.3, 0.4]])
    figure = matrix_heatmap(values, title="t", row_labels=["a", "b"], col_labels=["c", "d"],
                            zmax=2.0, highlight=[(0, 1), (1, 0)])
    assert figure.data[0].zmax == 2.0 and figure.data[0].zmin == -2.0
    centres = sorted(((s.y0 + s.y1) / 2, (s.x0 + s.x1) / 2) for s in figure.layout.shapes)
    # pytest 9's approx refuses nested sequences: compare as one array.
    np.testing.assert_allclose(np.array(centres), [[0.0, 1.0], [1.0, 0.0]], atol=1e-12)


def test_timing_figure_holds_the_times():
    names, times = ["vectorised", "naive", "numerical"], [0.05, 31.0, 12.5]
    (trace,) = timing_figure(names, times).data
    np.testing.assert_array_equal(np.asarray(trace.x), times)
    assert list(trace.y) == names
