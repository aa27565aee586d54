"""/softmax in AppTest: the Python side of the live view.

AppTest never runs the component's JS (tests/e2e/test_softmax_e2e.py does), so these tests
drive what the browser would send: the link a page opens with, and the state the component
syncs back (``at.session_state["softmax_live"] = {"state": ...}``). They check what Python
answers: the checked state handed to the component, the URL written back, the notes about
ignored values, and the server-side panels (derivation, properties of J, overflow,
saturation) computed from the library.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer import softmax, softmax_jacobian, softmax_naive
from explorer.page_logic.softmax import OVERFLOW_SHIFT, tex_number
from explorer.settings import specs
from tests.app import page_probe

PAGE = "explorer/pages/softmax_page.py"
COMPONENT_KEY = "softmax_live"
DEFAULT_K = specs.SOFTMAX_K.default
DEFAULT_LOGITS = np.array(specs.DEFAULT_LOGITS[:DEFAULT_K])


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = page_probe.open_page(
        PAGE, {key: [value] for key, value in (query or {}).items()}, timeout=60
    )
    assert not at.exception, at.exception
    return at


def component_data(at: AppTest) -> dict:
    """The JSON ``data`` the page handed to the live component in the last run."""
    (element,) = at.get("bidi_component")
    return json.loads(element.proto.json)


def browser_state(**changes) -> dict:
    """A state as softmax_view.js sends it: the defaults with ``changes``."""
    synced = {"k": DEFAULT_K, "z": list(specs.DEFAULT_LOGITS), "t": 1.0, "y": 0,
              "big": False, "cell": [0, 1]}
    synced.update(changes)
    return synced


def sync(at: AppTest, **changes) -> AppTest:
    at.session_state[COMPONENT_KEY] = {"state": browser_state(**changes)}
    at.run()
    assert not at.exception, at.exception
    return at


def warnings_text(at: AppTest) -> str:
    return "\n".join(warning.value for warning in at.warning)


def infos_text(at: AppTest) -> str:
    return "\n".join(info.value for info in at.info)


def latex_lines(at: AppTest) -> list[str]:
    return [element.value.strip().strip("$").strip() for element in at.latex]


def all_markdown(at: AppTest) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption])


def test_defaults_go_to_the_component_and_the_derivation_uses_the_library():
    at = open_page()
    data = component_data(at)
    assert data["state"] == browser_state()
    assert data["limits"]["temperatures"] == list(specs.TEMPERATURE.options)
    assert data["shift"] == OVERFLOW_SHIFT
    assert not at.warning
    jac = softmax_jacobian(DEFAULT_LOGITS)
    assert f"shows {jac[0, 1] + 0.0:.6g} in row 0, column 1" in all_markdown(at)
    assert latex_lines(at)[-1].endswith(tex_number(jac[0, 1]))
    assert "Click a cell" in all_markdown(at)
    assert not at.query_params


def test_valid_link_values_reach_the_component():
    at = open_page({"k": "6", "z5": "7.5", "t": "0.7", "y": "5", "cell": "5,2"})
    assert not at.warning
    seed = component_data(at)["state"]
    assert (seed["k"], seed["z"][5], seed["t"], seed["y"], seed["cell"]) == (6, 7.5, 0.7, 5,
                                                                              [5, 2])
    logits = np.array([*specs.DEFAULT_LOGITS[:5], 7.5])
    jac = softmax_jacobian(logits, 0.7)
    assert f"shows {jac[5, 2] + 0.0:.6g} in row 5, column 2" in all_markdown(at)


@pytest.mark.parametrize(
    ("query", "ignored"),
    [({"z0": "abc"}, "z0"), ({"z3": "50"}, "z3"), ({"t": "0.33"}, "t"), ({"y": "7"}, "y"),
     ({"k": "1"}, "k"), ({"cell": "4,0"}, "cell"), ({"big": "yes"}, "big")],
)
def test_a_malformed_value_falls_back_to_the_default_with_a_warning(query, ignored):
    at = open_page(query)
    assert f"`{ignored}`" in warnings_text(at)
    assert len(at.warning) == 1
    assert component_data(at)["state"] == browser_state()


def test_numeric_spellings_are_accepted_and_a_fractional_class_is_noted():
    at = open_page({"t": "2.0", "z0": "2.50", "k": "5.0", "y": "1.5"})
    seed = component_data(at)["state"]
    assert (seed["t"], seed["z"][0], seed["k"], seed["y"]) == (2.0, 2.5, 5, 1)
    text = warnings_text(at)
    assert "`y`" in text and "whole number" in text
    for key in ("t", "z0", "k"):
        assert f"`{key}`" not in text


def test_unknown_parameters_are_ignored_silently():
    at = open_page({"foo": "bar", "z7": "1.0", "utm_source": "slides", "k": "5"})
    assert not at.warning
    assert component_data(at)["state"]["k"] == 5


def test_a_synced_state_is_checked_written_to_the_url_and_derived():
    at = open_page()
    before = component_data(at)
    z = [0.5, -2.0, 1.5, *specs.DEFAULT_LOGITS[3:]]
    sync(at, k=3, z=z, t=0.5, y=2, cell=[2, 1])
    assert at.query_params["k"] == "3" and at.query_params["t"] == "0.5"
    assert at.query_params["z0"] == "0.5" and at.query_params["cell"] == "2,1"
    assert "z3" not in at.query_params  # unchanged from its default
    jac = softmax_jacobian(z[:3], 0.5)
    assert f"shows {jac[2, 1] + 0.0:.6g} in row 2, column 1" in all_markdown(at)
    # A valid sync is not echoed back: the component's data (and so its message) is unchanged.
    assert component_data(at) == before


def test_an_invalid_synced_state_is_corrected_in_a_new_epoch():
    at = open_page()
    epoch = component_data(at)["epoch"]
    sync(at, k=3, y=7, z=[50.0, *specs.DEFAULT_LOGITS[1:]], t=0.33, cell=[9, 9])
    data = component_data(at)
    assert data["epoch"] == epoch + 1
    assert data["state"]["y"] == 0 and data["state"]["z"][0] == specs.SOFTMAX_LOGITS[0].default
    assert data["state"]["t"] == specs.TEMPERATURE.default
    assert data["state"]["cell"] == [0, 1] and data["state"]["k"] == 3
    at.session_state[COMPONENT_KEY] = {"state": {"k": "<b>x</b>"}}
    at.run()
    assert not at.exception
    assert component_data(at)["epoch"] == epoch + 2


def test_reset_restores_the_defaults_in_a_new_epoch():
    at = open_page({"k": "6", "t": "3"})
    sync(at, k=6, y=5, t=3.0, big=True)
    epoch = component_data(at)["epoch"]
    at.button(key="reset").click().run()
    assert not at.exception
    data = component_data(at)
    assert data["state"] == browser_state() and data["epoch"] > epoch
    assert not at.query_params


def test_overflow_demo_keeps_p_and_shows_nan_for_the_textbook_softmax_only():
    at = open_page()
    assert not at.table
    sync(at, big=True)
    (table,) = at.table
    frame = table.value
    naive = frame[next(c for c in frame.columns if c.startswith("textbook"))].astype(float)
    stable = frame[next(c for c in frame.columns if c.startswith("stable"))].astype(float)
    shifted = DEFAULT_LOGITS + OVERFLOW_SHIFT
    assert np.isnan(naive).any()
    np.testing.assert_array_equal(np.isnan(naive), np.isnan(softmax_naive(shifted)))
    np.testing.assert_allclose(stable, softmax(DEFAULT_LOGITS), atol=1e-6)  # p unchanged
    assert "the same p as before the shift" in all_markdown(at)


@pytest.mark.parametrize("t", [0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 20.0])
def test_saturation_note_appears_exactly_when_max_p_exceeds_0_99(t):
    at = open_page({"t": f"{t:g}"})
    saturated = softmax(DEFAULT_LOGITS, t).max() > 0.99
    assert ("Vanishing gradients" in infos_text(at)) is bool(saturated)


def test_saturation_cases_cover_both_sides():
    maxima = [softmax(DEFAULT_LOGITS, t).max() for t in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 20.0)]
    assert min(maxima) < 0.99 < max(maxima)


def test_property_lines_report_the_jacobian_of_the_synced_state():
    at = open_page()
    sync(at, t=0.3)
    jac = softmax_jacobian(DEFAULT_LOGITS, 0.3)
    text = all_markdown(at)
    assert f"{np.abs(jac).max():.4g}" in text
    assert f"rank K − 1 = {DEFAULT_K - 1}" in text


def test_presentation_mode_reaches_the_component_as_a_flag():
    at = open_page()
    assert component_data(at)["present"] is False
    at.session_state["present"] = True
    at.run()
    assert component_data(at)["present"] is True
