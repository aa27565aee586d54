"""/weights in AppTest: the charts carry the library's numbers, the check passes and the
mistake fails it, and a malformed link falls back with a warning naming each parameter."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer import loss_and_grad, numerical_gradient, softmax, state
from tests.app import page_probe
from tests.support.charts import app_chart

PAGE = "explorer/pages/weights_page.py"


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = page_probe.open_page(
        PAGE, {key: [value] for key, value in (query or {}).items()}, timeout=60
    )
    assert not at.exception, at.exception
    return at


def default_model(k: int = state.WEIGHTS_K.default):
    """W (2, K), b (K,) from the settings' defaults: an independent reading of the spec."""
    W = np.array([[state.WEIGHT_SLIDERS[row][col].default for col in range(k)]
                  for row in range(2)])
    b = np.array([state.BIAS_SLIDERS[col].default for col in range(k)])
    return W, b


def heatmap(at: AppTest, key: str) -> np.ndarray:
    (trace,) = app_chart(at, key)["data"]
    return np.asarray(trace["z"], dtype=np.float64)


def metric_value(at: AppTest, label_start: str) -> float:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return float(metric.value.replace(",", ""))
    raise LookupError(f"no metric labelled {label_start!r}: {[m.label for m in at.metric]}")


def expected_dW(W, b, x, y, reg):
    return loss_and_grad(W, b, np.array([x]), np.array([y]), reg)[1]


def test_defaults_render_the_library_gradient():
    at = open_page()
    W, b = default_model()
    x = (state.EXAMPLE_X1.default, state.EXAMPLE_X2.default)
    dW = expected_dW(W, b, x, state.WEIGHTS_TARGET.default, state.WEIGHTS_REG.default)
    shown = heatmap(at, "dweights")
    assert shown.shape == (2, state.WEIGHTS_K.default)
    np.testing.assert_allclose(shown, dW, rtol=1e-6, atol=1e-7)
    loss = loss_and_grad(W, b, np.array([x]), [0], 0.0)[0]
    assert metric_value(at, "Loss") == pytest.approx(loss, abs=1e-4)


def test_gradient_follows_a_weight_slider_and_reg():
    at = open_page()
    at.slider(key="w1_0").set_value(2.0).run()
    at.slider(key="reg").set_value(0.5).run()
    at.slider(key="y").set_value(2).run()
    assert not at.exception
    W, b = default_model()
    W[0, 0] = 2.0
    x = (state.EXAMPLE_X1.default, state.EXAMPLE_X2.default)
    dW = expected_dW(W, b, x, 2, 0.5)
    np.testing.assert_allclose(heatmap(at, "dweights"), dW, rtol=1e-6, atol=1e-7)
    # The two terms shown add up to the total, and the reg term is reg * W.
    np.testing.assert_allclose(heatmap(at, "dweights_reg"), 0.5 * W, rtol=1e-6)
    np.testing.assert_allclose(heatmap(at, "dweights_data") + heatmap(at, "dweights_reg"), dW,
                               atol=1e-6)


def test_more_classes_add_columns_to_every_gradient():
    at = open_page({"k": "5", "x1": "-1.5", "y": "4"})
    W, b = default_model(5)
    dW = expected_dW(W, b, (-1.5, state.EXAMPLE_X2.default), 4, 0.0)
    np.testing.assert_allclose(heatmap(at, "dweights"), dW, rtol=1e-6, atol=1e-7)
    assert heatmap(at, "dprob").shape == (2, 5)


def test_gradient_check_passes_and_the_mistake_fails_it():
    at = open_page({"j": "1"})
    assert metric_value(at, "dL/dW") < 1e-7
    assert metric_value(at, "∂p1/∂W") < 1e-7
    assert any("PASS" in box.value for box in at.success)
    W, b = default_model()
    x = np.array([state.EXAMPLE_X1.default, state.EXAMPLE_X2.default])
    numeric = numerical_gradient(lambda weights: softmax(x @ weights + b)[1], W)
    np.testing.assert_allclose(heatmap(at, "dprob_numeric"), numeric, rtol=1e-5, atol=1e-7)

    at.toggle(key="mistake").set_value(True).run()
    assert not at.exception
    assert metric_value(at, "∂p1/∂W") > 0.5
    assert any("FAIL" in box.value for box in at.error)
    assert any("denominator" in box.value for box in at.error)
    wrong = heatmap(at, "dprob")
    assert np.all(wrong[:, [0, 2]] == 0.0) and np.all(wrong[:, 1] != 0.0)
    # The outlined cells are exactly the wrongly-zero columns i != j.
    shapes = app_chart(at, "dprob")["layout"]["shapes"]
    outlined = sorted({round((s["x0"] + s["x1"]) / 2) for s in shapes})
    assert outlined == [0, 2]
    # The loss gradient itself is still right.
    assert metric_value(at, "dL/dW") < 1e-7


def test_malformed_link_falls_back_with_a_warning_naming_each_parameter():
    at = open_page({"x1": "abc", "k": "9", "y": "4", "w1_0": "nan", "reg": "-1"})
    warning = " ".join(box.value for box in at.warning)
    for key in ("x1", "k", "y", "w1_0", "reg"):
        assert f"`{key}`" in warning, key
    W, b = default_model()
    dW = expected_dW(W, b, (state.EXAMPLE_X1.default, state.EXAMPLE_X2.default), 0, 0.0)
    np.testing.assert_allclose(heatmap(at, "dweights"), dW, rtol=1e-6, atol=1e-7)


def test_target_class_beyond_k_in_a_link_is_ignored():
    at = open_page({"k": "4", "y": "3", "j": "3"})
    assert not at.warning
    at2 = open_page({"k": "2", "y": "3", "j": "3"})
    warning = " ".join(box.value for box in at2.warning)
    assert "`y`" in warning and "`j`" in warning
    assert heatmap(at2, "dweights").shape == (2, 2)


def test_the_check_says_when_it_cannot_see_the_mistake():
    at = open_page({"x1": "0", "x2": "0", "mistake": "true"})
    assert not at.error  # nothing to fail: every derivative is exactly 0 at x = 0
    assert any("x = 0" in box.value for box in at.info)
    # Saturated: p_2 is so small that the dropped terms fall below the rounding noise.
    at = open_page({"x1": "3", "x2": "3", "w1_0": "3", "w2_0": "3", "b0": "3", "k": "5",
                    "j": "2", "mistake": "true"})
    assert metric_value(at, "∂p2/∂W") > 1e-7
    assert not any("FAIL" in box.value for box in at.error)
    assert any("WITHIN NOISE" in box.value for box in at.warning)
    assert any("too small" in box.value for box in at.info)
