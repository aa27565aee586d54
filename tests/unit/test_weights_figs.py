"""Figure builders of /weights and /check: they hold exactly the numbers they are given,
and the plane's geometry agrees with the library's softmax."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from explorer import softmax
from explorer.figures.check_figs import timing_figure
from explorer.figures.style import class_color
from explorer.figures.weights_figs import (
    PLANE_EXTENT,
    REGION_SHADES,
    boundary_segment,
    matrix_heatmap,
    plane_figure,
    region_grid,
    region_palette,
    weight_gradient_heatmap,
)

finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


def weights_and_biases(k: int):
    return st.tuples(arrays(np.float64, (2, k), elements=finite),
                     arrays(np.float64, (k,), elements=finite))


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


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5).flatmap(weights_and_biases))
def test_region_grid_encodes_the_argmax_class_and_its_confidence(params):
    W, b = params
    k = W.shape[1]
    axis, encoded = region_grid(W, b, cells=12)
    x1, x2 = np.meshgrid(axis.astype(np.float64), axis.astype(np.float64))
    points = np.stack([x1.ravel(), x2.ravel()], axis=1)
    p = softmax(points @ W + b)
    cls = np.floor(encoded.ravel()).astype(int)
    # Ties between two classes may go either way: only require the chosen class be a top one.
    chosen = p[np.arange(len(p)), cls]
    assert np.all(chosen >= p.max(axis=1) - 1e-5)
    confidence = np.clip((p.max(axis=1) - 1 / k) / (1 - 1 / k), 0, 0.999)
    np.testing.assert_allclose(encoded.ravel() - cls, confidence, atol=1e-5)


@settings(max_examples=80, deadline=None)
@given(st.integers(2, 5).flatmap(weights_and_biases), st.data())
def test_boundary_points_are_equidistant_in_score_and_on_top(params, data):
    W, b = params
    k = W.shape[1]
    first = data.draw(st.integers(0, k - 1))
    second = data.draw(st.integers(0, k - 1).filter(lambda c: c != first))
    segment = boundary_segment(W, b, first, second)
    t = np.linspace(0.0, 1.0, 21)[:, None]
    if segment is None:
        return
    points = segment[0] + t * (segment[1] - segment[0])
    assert np.all(np.abs(points) <= PLANE_EXTENT + 1e-9)
    p = softmax(points @ W + b)
    # Equal scores for the two classes means equal probabilities (softmax is monotone).
    np.testing.assert_allclose(p[:, first], p[:, second], rtol=1e-6, atol=1e-12)
    assert np.all(p[:, first] >= p.max(axis=1) * (1 - 1e-6))


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 5).flatmap(weights_and_biases), st.data())
def test_no_segment_means_the_two_classes_never_lead_together(params, data):
    W, b = params
    k = W.shape[1]
    first = data.draw(st.integers(0, k - 1))
    second = data.draw(st.integers(0, k - 1).filter(lambda c: c != first))
    # Equal weight vectors tie everywhere or nowhere: there is no line to draw.
    assume(not np.allclose(W[:, first], W[:, second]))
    if boundary_segment(W, b, first, second) is not None:
        return
    # Walk the exact tie line (w_first - w_second)·x + (b_first - b_second) = 0 across the
    # square: wherever it runs, some third class must score at least as much as the two.
    # (Sampling near-ties on a grid is wrong for nearly parallel weight vectors: a gap
    # below any fixed threshold then spans a wide band where the two classes lead.)
    dw = W[:, first] - W[:, second]
    db = b[first] - b[second]
    origin = -db * dw / np.dot(dw, dw)
    direction = np.array([-dw[1], dw[0]]) / np.linalg.norm(dw)
    reach = np.linalg.norm(origin) + 2 * PLANE_EXTENT
    points = origin + np.linspace(-reach, reach, 4001)[:, None] * direction
    points = points[np.all(np.abs(points) <= PLANE_EXTENT, axis=1)]
    scores = points @ W + b
    others = np.delete(scores, [first, second], axis=1).max(axis=1)
    assert np.all(others >= scores[:, first] - 1e-6)


def test_boundary_of_a_known_two_class_problem():
    # Scores x1 and -x1: the boundary is the x2 axis, across the whole square.
    W = np.array([[1.0, -1.0], [0.0, 0.0]])
    segment = boundary_segment(W, np.zeros(2), 0, 1)
    np.testing.assert_allclose(np.sort(segment[:, 1]), [-PLANE_EXTENT, PLANE_EXTENT])
    np.testing.assert_allclose(segment[:, 0], [0.0, 0.0], atol=1e-12)
    assert boundary_segment(np.ones((2, 2)), np.zeros(2), 0, 1) is None


def test_plane_figure_draws_the_regions_arrows_and_example():
    W = np.array([[1.0, -0.5, 0.2], [0.3, 1.0, -0.8]])
    b = np.array([0.0, 0.2, -0.1])
    x = np.array([1.0, 0.5])
    step = np.array([[0.1, -0.2, 0.3], [0.0, 0.4, -0.1]])
    figure = plane_figure(W, b, x, 2, descent=step)
    regions = figure.data[0]
    axis, encoded = region_grid(W, b)
    assert (regions.x0, regions.y0) == (float(axis[0]), float(axis[0]))
    assert regions.dx == regions.dy == pytest.approx(float(axis[1] - axis[0]))
    # Every pixel of the picture is a shade of the class that wins at that grid point,
    # surer points in stronger shades (Pillow decodes the PNG independently).
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(
        regions.source.split(",", 1)[1]))).convert("RGB"))
    palette = region_palette(3).astype(int)
    index = np.argmin(((pixels[..., None, :].astype(int) - palette) ** 2).sum(-1), axis=-1)
    assert np.array_equal(pixels, palette[index])
    np.testing.assert_array_equal(index // REGION_SHADES, np.floor(encoded).astype(int))
    confidence, band = encoded % 1, index % REGION_SHADES
    assert np.all(band[confidence > 0.9] >= int(0.9 * REGION_SHADES))
    assert np.all(band[confidence < 0.1] <= int(0.1 * REGION_SHADES))
    arrows = [trace for trace in figure.data if trace.name and trace.name.startswith("w")]
    assert [trace.name for trace in arrows] == ["w0", "w1", "w2"]
    for cls, trace in enumerate(arrows):
        assert (trace.x[0], trace.y[0]) == (0.0, 0.0)
        assert (trace.x[1], trace.y[1]) == pytest.approx(tuple(W[:, cls]))
        assert trace.line.color == class_color(cls)
    descent = [trace for trace in figure.data if trace.name and trace.name.startswith("−")]
    for cls, trace in enumerate(descent):
        assert (trace.x[0], trace.y[0]) == pytest.approx(tuple(W[:, cls]))
        assert (trace.x[1], trace.y[1]) == pytest.approx(tuple(W[:, cls] + step[:, cls]))
    example = figure.data[-1]
    assert (example.x[0], example.y[0]) == (1.0, 0.5)
    assert example.marker.color == class_color(2)
    # Every boundary drawn is a segment on which two scores tie.
    lines = figure.data[1]
    xs = np.array([v for v in lines.x if v is not None], dtype=float)
    ys = np.array([v for v in lines.y if v is not None], dtype=float)
    scores = np.stack([xs, ys], axis=1) @ W + b
    top_two = np.sort(scores, axis=1)[:, -2:]
    np.testing.assert_allclose(top_two[:, 0], top_two[:, 1], atol=1e-9)


def test_plane_figure_is_deterministic():
    W = np.array([[1.0, -0.5], [0.3, 1.0]])
    first = plane_figure(W, np.zeros(2), np.array([1.0, 0.5]), 0).to_json()
    second = plane_figure(W, np.zeros(2), np.array([1.0, 0.5]), 0).to_json()
    assert first == second
