"""The /softmax figure builders draw exactly the numbers they are given, and nothing else.

Inputs come from the library (``explorer.softmax``) on random logits; each builder's figure is
decoded from its JSON (as the browser receives it) and compared with those inputs.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.figures import softmax_figs
from explorer.figures.style import CLASS_COLORS
from explorer.softmax import softmax, softmax_jacobian
from tests.support.charts import decode

CLASS_COUNTS = range(2, 11)


def wire(figure) -> dict:
    """The figure as the browser receives it: JSON with base64 arrays decoded."""
    return decode(json.loads(figure.to_json()))


def trace(figure_json: dict, name: str) -> dict:
    matches = [item for item in figure_json["data"] if item.get("name") == name]
    assert len(matches) == 1, f"expected one trace named {name!r}"
    return matches[0]


def numbers_in(value) -> list[float]:
    """Every number anywhere in a decoded figure (arrays flattened)."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64).ravel().tolist()
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers_in(item)]
    if isinstance(value, list):
        return [number for item in value for number in numbers_in(item)]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    return [float(value)]


def case(k: int, seed: int = 0, temperature: float = 0.8):
    rng = np.random.default_rng(seed + k)
    z = rng.uniform(-5, 5, size=k)
    return z, softmax(z, temperature), softmax_jacobian(z, temperature)


@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_probs_figure_holds_the_logits_and_probabilities(k):
    z, p, _ = case(k)
    target = k - 1
    figure = wire(softmax_figs.probs_figure(z, p, target))
    logits, probs = trace(figure, "z"), trace(figure, "p")
    np.testing.assert_array_equal(logits["y"], z.astype(np.float32))
    np.testing.assert_array_equal(probs["y"], p.astype(np.float32))
    np.testing.assert_array_equal(probs["x"], np.arange(k))
    assert probs["marker"]["color"] == list(CLASS_COLORS[:k])
    assert probs["texttemplate"].startswith("%{y:")
    widths = probs["marker"]["line"]["width"]
    assert [index for index, width in enumerate(widths) if width > 0] == [target]


@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_dlogits_figure_holds_one_hot_and_p_minus_y(k):
    _, p, _ = case(k)
    target = k // 2
    one_hot = np.eye(k)[target]
    figure = wire(softmax_figs.dlogits_figure(one_hot, p - one_hot))
    np.testing.assert_array_equal(trace(figure, "one-hot y")["y"], one_hot.astype(np.float32))
    np.testing.assert_array_equal(trace(figure, "p − y")["y"], (p - one_hot).astype(np.float32))


@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_jacobian_heatmap_is_the_given_matrix_centred_at_zero(k):
    _, _, jac = case(k)
    figure = wire(softmax_figs.jacobian_figure(jac))
    heatmap = figure["data"][0]
    assert heatmap["type"] == "heatmap"
    np.testing.assert_array_equal(heatmap["z"], jac.astype(np.float32))
    np.testing.assert_array_equal(heatmap["x"], np.arange(k))
    np.testing.assert_array_equal(heatmap["y"], np.arange(k))
    # A diverging scale centred at 0 that covers every entry.
    assert heatmap["zmin"] == pytest.approx(-heatmap["zmax"])
    assert heatmap["zmid"] == 0
    assert heatmap["zmax"] >= np.abs(jac).max() * (1 - 1e-6)
    colours = [stop[1] for stop in heatmap["colorscale"]]
    assert colours[len(colours) // 2].lower() in ("#f7f7f7", "#ffffff", "white")
    assert "%{z" in heatmap["texttemplate"]
    layout = figure["layout"]
    assert layout["yaxis"]["autorange"] == "reversed"
    assert layout["xaxis"]["title"]["text"].startswith("j (logit z")
    assert layout["yaxis"]["title"]["text"].startswith("i (output p")


@pytest.mark.parametrize("k", [2, 5, 10])
def test_jacobian_click_targets_sit_on_every_cell_with_its_value(k):
    _, _, jac = case(k)
    targets = wire(softmax_figs.jacobian_figure(jac))["data"][1]
    rows, cols = np.asarray(targets["y"]), np.asarray(targets["x"])
    assert sorted(zip(rows.tolist(), cols.tolist(), strict=True)) == [
        (i, j) for i in range(k) for j in range(k)
    ]
    np.testing.assert_array_equal(targets["customdata"], jac.astype(np.float32)[rows, cols])


def test_selected_cell_is_outlined_where_it_is():
    _, _, jac = case(4)
    shapes = wire(softmax_figs.jacobian_figure(jac, selected=(2, 3)))["layout"]["shapes"]
    assert len(shapes) == 1
    rect = shapes[0]
    assert (rect["x0"], rect["x1"]) == (2.5, 3.5)  # column j = 3
    assert (rect["y0"], rect["y1"]) == (1.5, 2.5)  # row i = 2
    assert "shapes" not in wire(softmax_figs.jacobian_figure(jac))["layout"]


def test_chart_sizes_follow_k():
    heights = [
        softmax_figs.jacobian_figure(case(k)[2]).layout.height for k in CLASS_COUNTS
    ]
    assert heights == sorted(heights) and len(set(heights)) == len(heights)


@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_no_nan_even_when_saturated(k):
    # T = 0.05 and logits 100 apart: exp(-2000) underflows, p is one-hot and J exactly 0.
    z = np.zeros(k)
    z[0] = 100.0
    p, jac = softmax(z, 0.05), softmax_jacobian(z, 0.05)
    assert np.all(jac == 0)
    one_hot = np.eye(k)[0]
    figures = [
        softmax_figs.probs_figure(z * 1000, p, 0),
        softmax_figs.dlogits_figure(one_hot, p - one_hot),
        softmax_figs.jacobian_figure(jac, selected=(0, 0)),
    ]
    for figure in figures:
        text = figure.to_json()
        assert "NaN" not in text and "Infinity" not in text
        assert np.all(np.isfinite(numbers_in(wire(figure))))
    heatmap = wire(figures[2])["data"][0]
    assert heatmap["zmax"] > 0 and heatmap["zmin"] == -heatmap["zmax"]


def test_same_inputs_give_byte_identical_figures():
    z, p, jac = case(6)
    one_hot = np.eye(6)[1]
    for build in (
        lambda: softmax_figs.probs_figure(z, p, 1),
        lambda: softmax_figs.dlogits_figure(one_hot, p - one_hot),
        lambda: softmax_figs.jacobian_figure(jac, selected=(1, 2)),
    ):
        assert build().to_json() == build().to_json()


def test_arrays_travel_as_float32():
    z, p, jac = case(3)
    spec = json.loads(softmax_figs.jacobian_figure(jac).to_json())
    assert spec["data"][0]["z"]["dtype"] == "f4"
    spec = json.loads(softmax_figs.probs_figure(z, p, 0).to_json())
    assert {item["y"]["dtype"] for item in spec["data"]} == {"f4"}
