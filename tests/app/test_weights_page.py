"""/weights in AppTest: the Python side of the live view.

AppTest never runs the component's JS (tests/e2e/test_weights_check_e2e.py does); these
tests drive what the browser would send -- the link, and the synced state
(``at.session_state["weights_live"]``) -- and check the server's answer: the checked state
handed to the component, the URL, the notes, and the gradient checks computed by numpy.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer import loss_and_grad, numerical_gradient, softmax
from explorer.settings import specs
from tests.app import page_probe
from tests.support.charts import app_chart

PAGE = "explorer/pages/weights_page.py"
COMPONENT_KEY = "weights_live"
MAX_K = specs.WEIGHTS_MAX_CLASSES


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = page_probe.open_page(
        PAGE, {key: [value] for key, value in (query or {}).items()}, timeout=60
    )
    assert not at.exception, at.exception
    return at


def component_data(at: AppTest) -> dict:
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.json)


def browser_state(**changes) -> dict:
    """A state as weights_view.js sends it: the settings' defaults with ``changes``."""
    synced = {
        "k": specs.WEIGHTS_K.default, "x1": specs.EXAMPLE_X1.default,
        "x2": specs.EXAMPLE_X2.default, "y": specs.WEIGHTS_TARGET.default,
        "W": [[setting.default for setting in row] for row in specs.WEIGHT_SLIDERS],
        "b": [setting.default for setting in specs.BIAS_SLIDERS],
        "reg": specs.WEIGHTS_REG.default, "j": specs.PROB_CLASS.default,
        "mistake": specs.COMMON_MISTAKE.default, "lr": specs.WEIGHTS_LR.default,
    }
    synced.update(changes)
    return synced


def sync(at: AppTest, **changes) -> AppTest:
    at.session_state[COMPONENT_KEY] = {"state": browser_state(**changes)}
    at.run()
    assert not at.exception, at.exception
    return at


def default_model(k: int = specs.WEIGHTS_K.default):
    """W (2, K), b (K,) from the settings' defaults: an independent reading of the spec."""
    W = np.array([[specs.WEIGHT_SLIDERS[row][col].default for col in range(k)]
                  for row in range(2)])
    b = np.array([specs.BIAS_SLIDERS[col].default for col in range(k)])
    return W, b


def heatmap(at: AppTest, key: str) -> np.ndarray:
    (trace,) = app_chart(at, key)["data"]
    return np.asarray(trace["z"], dtype=np.float64)


def metric_value(at: AppTest, label_start: str) -> float:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return float(metric.value.replace(",", ""))
    raise LookupError(f"no metric labelled {label_start!r}: {[m.label for m in at.metric]}")


def test_defaults_reach_the_component_and_the_loss_is_numpy():
    at = open_page()
    data = component_data(at)
    assert data["state"] == browser_state()
    assert data["grid"]["nx"] == data["grid"]["ny"] > 10
    W, b = default_model()
    x = np.array([[specs.EXAMPLE_X1.default, specs.EXAMPLE_X2.default]])
    loss = loss_and_grad(W, b, x, [0], 0.0)[0]
    assert metric_value(at, "Loss") == pytest.approx(loss, abs=1e-4)
    assert not at.query_params


def test_a_synced_state_is_checked_written_to_the_url_and_checked_by_numpy():
    at = open_page()
    W = [[2.0, -0.5, 0.2, 0.8, -1.0], [0.3, 1.0, -0.8, -0.6, 0.5]]
    sync(at, W=W, reg=0.5, y=2, lr=0.1)
    assert at.query_params["w1_0"] == "2" and at.query_params["reg"] == "0.5"
    assert at.query_params["y"] == "2" and at.query_params["lr"] == "0.1"
    assert "w2_0" not in at.query_params
    Wk = np.array(W)[:, :3]
    _, b = default_model()
    x = np.array([[specs.EXAMPLE_X1.default, specs.EXAMPLE_X2.default]])
    loss = loss_and_grad(Wk, b, x, [2], 0.5)[0]
    assert metric_value(at, "Loss") == pytest.approx(loss, abs=1e-4)
    assert metric_value(at, "dL/dW") < 1e-7


def test_a_gradient_step_synced_with_many_decimals_is_kept():
    at = open_page()
    W = [[0.98765, -0.5, 0.2, 0.8, -1.0], [0.3, 1.0, -0.8, -0.6, 0.5]]
    sync(at, W=W)
    assert at.session_state["weights_values"]["w1_0"] == 0.98765
    assert at.query_params["w1_0"] == "0.98765"


def test_gradient_check_passes_and_the_mistake_fails_it():
    at = open_page({"j": "1"})
    assert metric_value(at, "dL/dW") < 1e-7
    assert metric_value(at, "∂p1/∂W") < 1e-7
    assert any("PASS" in box.value for box in at.success)
    W, b = default_model()
    x = np.array([specs.EXAMPLE_X1.default, specs.EXAMPLE_X2.default])
    numeric = numerical_gradient(lambda weights: softmax(x @ weights + b)[1], W)
    np.testing.assert_allclose(heatmap(at, "dprob_numeric"), numeric, rtol=1e-5, atol=1e-7)

    sync(at, j=1, mistake=True)
    assert metric_value(at, "∂p1/∂W") > 0.5
    assert any("FAIL" in box.value for box in at.error)
    assert any("denominator" in box.value for box in at.error)
    assert metric_value(at, "dL/dW") < 1e-7  # the loss gradient itself is still right


def test_malformed_link_falls_back_with_a_warning_naming_each_parameter():
    at = open_page({"x1": "abc", "k": "9", "y": "4", "w1_0": "nan", "reg": "-1", "lr": "9"})
    warning = " ".join(box.value for box in at.warning)
    for key in ("x1", "k", "y", "w1_0", "reg", "lr"):
        assert f"`{key}`" in warning, key
    assert component_data(at)["state"] == browser_state()


def test_target_class_beyond_k_in_a_link_is_ignored():
    at = open_page({"k": "4", "y": "3", "j": "3"})
    assert not at.warning
    at2 = open_page({"k": "2", "y": "3", "j": "3"})
    warning = " ".join(box.value for box in at2.warning)
    assert "`y`" in warning and "`j`" in warning
    seed = component_data(at2)["state"]
    assert (seed["k"], seed["y"], seed["j"]) == (2, 0, 0)


def test_numeric_spellings_and_a_fractional_class():
    at = open_page({"lr": "0.50", "k": "4.0", "y": "2.5"})
    seed = component_data(at)["state"]
    assert (seed["lr"], seed["k"], seed["y"]) == (0.5, 4, 2)
    warning = " ".join(box.value for box in at.warning)
    assert "`y`" in warning and "whole number" in warning
    assert "`lr`" not in warning and "`k`" not in warning


def test_an_invalid_synced_state_is_corrected_in_a_new_epoch():
    at = open_page()
    epoch = component_data(at)["epoch"]
    sync(at, k=2, y=4, x1=99.0)
    data = component_data(at)
    assert data["epoch"] == epoch + 1
    assert (data["state"]["y"], data["state"]["x1"]) == (0, specs.EXAMPLE_X1.default)
    at.session_state[COMPONENT_KEY] = {"state": {"W": "<script>"}}
    at.run()
    assert not at.exception and component_data(at)["epoch"] == epoch + 2


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
