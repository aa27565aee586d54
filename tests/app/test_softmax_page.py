"""/softmax in AppTest: the charts carry the library's numbers for the current controls, a
malformed link falls back with a warning naming each parameter, and the notes (overflow,
saturation, derivation) appear exactly when they should."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer import softmax, softmax_jacobian, softmax_naive, state
from explorer.softmax_lesson import tex_number
from tests.app import page_probe
from tests.support.charts import app_chart

PAGE = "explorer/pages/softmax_page.py"
#: Session-state key of the clicked Jacobian cell (the page's CELL_KEY).
CELL_KEY = "softmax_jacobian_cell"
DEFAULT_K = state.SOFTMAX_K.default
DEFAULT_LOGITS = np.array(state.DEFAULT_LOGITS[:DEFAULT_K])


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = page_probe.open_page(
        PAGE, {key: [value] for key, value in (query or {}).items()}, timeout=60
    )
    assert not at.exception, at.exception
    return at


def bars(at: AppTest, key: str, name: str) -> np.ndarray:
    (trace,) = [item for item in app_chart(at, key)["data"] if item.get("name") == name]
    return np.asarray(trace["y"], dtype=np.float64)


def shown_jacobian(at: AppTest) -> np.ndarray:
    return np.asarray(app_chart(at, "jacobian")["data"][0]["z"], dtype=np.float64)


def current_logits(at: AppTest) -> np.ndarray:
    k = at.slider(key="k").value
    return np.array([at.slider(key=f"z{i}").value for i in range(k)], dtype=np.float64)


def logit_keys(at: AppTest) -> list[str]:
    return sorted(slider.key for slider in at.slider if slider.key.startswith("z"))


def warnings_text(at: AppTest) -> str:
    return "\n".join(warning.value for warning in at.warning)


def infos_text(at: AppTest) -> str:
    return "\n".join(info.value for info in at.info)


def latex_lines(at: AppTest) -> list[str]:
    """The equations shown with st.latex, without the $$ delimiters."""
    return [element.value.strip().strip("$").strip() for element in at.latex]


def all_markdown(at: AppTest) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption])


def test_defaults_render_the_library_numbers():
    at = open_page()
    assert logit_keys(at) == [f"z{i}" for i in range(DEFAULT_K)]
    t = at.select_slider(key="t").value
    assert t == state.TEMPERATURE.default
    p = softmax(DEFAULT_LOGITS, t)
    np.testing.assert_allclose(bars(at, "probs", "p"), p, rtol=1e-6)
    np.testing.assert_allclose(bars(at, "probs", "z"), DEFAULT_LOGITS, rtol=1e-6)
    np.testing.assert_allclose(shown_jacobian(at), softmax_jacobian(DEFAULT_LOGITS, t),
                               rtol=1e-6, atol=1e-8)
    assert not at.warning
    loss = -np.log(p[state.SOFTMAX_TARGET.default])
    (loss_metric,) = [m for m in at.metric if m.label.startswith("Cross-entropy")]
    assert float(loss_metric.value) == pytest.approx(loss, abs=1e-4)


def test_raising_z0_raises_p0_and_lowers_the_others():
    at = open_page()
    before = bars(at, "probs", "p")
    at.slider(key="z0").set_value(4.0).run()
    assert not at.exception
    after = bars(at, "probs", "p")
    assert after[0] > before[0]
    assert np.all(after[1:] < before[1:])
    logits = DEFAULT_LOGITS.copy()
    logits[0] = 4.0
    np.testing.assert_allclose(after, softmax(logits), rtol=1e-6)


@pytest.mark.parametrize("t", [0.05, 0.3, 1.0, 7.0, 20.0])
def test_jacobian_is_the_library_jacobian_of_the_current_logits(t):
    at = open_page()
    at.slider(key="z2").set_value(-3.5).run()
    at.select_slider(key="t").set_value(t).run()
    assert not at.exception
    logits = current_logits(at)
    assert logits[2] == -3.5
    expected = softmax_jacobian(logits, t)
    shown = shown_jacobian(at)
    assert shown.shape == (DEFAULT_K, DEFAULT_K)
    np.testing.assert_allclose(shown, expected, rtol=1e-6, atol=1e-7 * np.abs(expected).max())


@pytest.mark.parametrize("y", [0, 2, 3])
def test_dlogits_is_p_minus_one_hot_y(y):
    at = open_page()
    at.slider(key="y").set_value(y).run()
    at.select_slider(key="t").set_value(0.5).run()
    p = softmax(DEFAULT_LOGITS, 0.5)
    one_hot = np.eye(DEFAULT_K)[y]
    np.testing.assert_array_equal(bars(at, "dlogits", "one-hot y"), one_hot)
    np.testing.assert_allclose(bars(at, "dlogits", "p − y"), p - one_hot, rtol=1e-6, atol=1e-7)


def test_changing_k_changes_the_sliders_and_the_charts():
    at = open_page()
    jacobian_height = app_chart(at, "jacobian")["layout"]["height"]
    at.slider(key="k").set_value(7).run()
    assert not at.exception
    assert logit_keys(at) == [f"z{i}" for i in range(7)]
    assert bars(at, "probs", "p").shape == (7,)
    assert bars(at, "dlogits", "p − y").shape == (7,)
    assert shown_jacobian(at).shape == (7, 7)
    assert app_chart(at, "jacobian")["layout"]["height"] > jacobian_height
    logits = np.array(state.DEFAULT_LOGITS[:7])
    np.testing.assert_allclose(shown_jacobian(at), softmax_jacobian(logits), rtol=1e-6,
                               atol=1e-8)
    at.slider(key="k").set_value(2).run()
    assert logit_keys(at) == ["z0", "z1"]
    assert shown_jacobian(at).shape == (2, 2)
    assert at.slider(key="y").max == 1


def test_lowering_k_below_the_target_moves_the_target_down():
    at = open_page()
    at.slider(key="y").set_value(3).run()
    at.slider(key="k").set_value(2).run()
    assert not at.exception
    assert at.slider(key="y").value == 1
    np.testing.assert_array_equal(bars(at, "dlogits", "one-hot y"), [0.0, 1.0])


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ({"z0": "abc"}, "z0"),
        ({"z1": "nan"}, "z1"),
        ({"z2": "inf"}, "z2"),
        ({"z3": "50"}, "z3"),
        ({"k": "11"}, "k"),
        ({"k": "abc"}, "k"),
        ({"t": "0.33"}, "t"),
        ({"k": "4", "y": "7"}, "y"),
    ],
)
def test_a_malformed_value_falls_back_to_the_default_with_a_warning(query, ignored):
    at = open_page(query)
    text = warnings_text(at)
    assert f"`{ignored}`" in text
    assert len(at.warning) == 1
    setting = {s.key: s for s in (state.SOFTMAX_K, *state.SOFTMAX_LOGITS, state.SOFTMAX_TARGET)}
    if ignored == "t":
        assert at.select_slider(key="t").value == state.TEMPERATURE.default
    else:
        assert at.slider(key=ignored).value == setting[ignored].default
    np.testing.assert_allclose(shown_jacobian(at), softmax_jacobian(DEFAULT_LOGITS),
                               rtol=1e-6, atol=1e-8)


def test_every_ignored_parameter_is_named_and_valid_ones_are_used():
    query = {"z0": "abc", "z1": "nan", "z2": "inf", "z3": "50", "t": "0.33", "y": "7",
             "k": "4"}
    at = open_page(query)
    text = warnings_text(at)
    for key in ("z0", "z1", "z2", "z3", "t", "y"):
        assert f"`{key}`" in text, key
    assert "`k`" not in text
    assert [at.slider(key=f"z{i}").value for i in range(4)] == list(DEFAULT_LOGITS)
    at = open_page({"k": "6", "z5": "7.5", "t": "0.7", "y": "5"})
    assert not at.warning
    logits = np.array([*state.DEFAULT_LOGITS[:5], 7.5])
    np.testing.assert_allclose(shown_jacobian(at), softmax_jacobian(logits, 0.7), rtol=1e-6,
                               atol=1e-8)
    np.testing.assert_array_equal(bars(at, "dlogits", "one-hot y"), np.eye(6)[5])


def test_unknown_parameters_are_ignored_silently():
    at = open_page({"foo": "bar", "z7": "1.0", "utm_source": "slides", "k": "5"})
    assert not at.warning
    assert at.slider(key="k").value == 5
    assert logit_keys(at) == [f"z{i}" for i in range(5)]


def test_reset_restores_the_defaults():
    at = open_page()
    at.slider(key="k").set_value(6).run()
    at.slider(key="z0").set_value(-4.0).run()
    at.select_slider(key="t").set_value(3.0).run()
    at.slider(key="y").set_value(5).run()
    at.toggle(key="big").set_value(True).run()
    at.button(key="reset").click().run()
    assert not at.exception
    assert at.slider(key="k").value == DEFAULT_K
    assert current_logits(at).tolist() == list(DEFAULT_LOGITS)
    assert at.select_slider(key="t").value == state.TEMPERATURE.default
    assert at.slider(key="y").value == state.SOFTMAX_TARGET.default
    assert at.toggle(key="big").value is False
    np.testing.assert_allclose(shown_jacobian(at), softmax_jacobian(DEFAULT_LOGITS),
                               rtol=1e-6, atol=1e-8)


def test_overflow_demo_shows_nan_for_the_textbook_softmax_only():
    at = open_page()
    assert not at.table
    at.toggle(key="big").set_value(True).run()
    assert not at.exception
    (table,) = at.table
    frame = table.value
    naive = frame[next(c for c in frame.columns if c.startswith("textbook"))].astype(float)
    stable = frame[next(c for c in frame.columns if c.startswith("stable"))].astype(float)
    scaled = DEFAULT_LOGITS * 1000
    assert np.isnan(naive).any()
    np.testing.assert_array_equal(np.isnan(naive), np.isnan(softmax_naive(scaled)))
    assert np.all(np.isfinite(stable))
    np.testing.assert_allclose(stable, softmax(scaled), atol=1e-6)
    # The charts keep using the stable softmax of the scaled logits, and say so.
    np.testing.assert_allclose(bars(at, "probs", "z"), scaled, rtol=1e-6)
    np.testing.assert_allclose(bars(at, "probs", "p"), softmax(scaled), atol=1e-7)
    assert np.all(np.isfinite(shown_jacobian(at)))
    assert "stable softmax of these scaled logits" in all_markdown(at)


@pytest.mark.parametrize("t", [0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 20.0])
def test_saturation_note_appears_exactly_when_max_p_exceeds_0_99(t):
    at = open_page()
    at.select_slider(key="t").set_value(t).run()
    saturated = softmax(DEFAULT_LOGITS, t).max() > 0.99
    assert ("Vanishing gradients" in infos_text(at)) is bool(saturated)


def test_saturation_cases_cover_both_sides():
    maxima = [softmax(DEFAULT_LOGITS, t).max() for t in (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 20.0)]
    assert min(maxima) < 0.99 < max(maxima)


def test_default_derivation_is_j01_and_invites_a_click():
    at = open_page()
    text = all_markdown(at)
    assert "Click a cell" in text
    assert "i = 0, j = 1" in text
    j01 = softmax_jacobian(DEFAULT_LOGITS)[0, 1]
    latex = latex_lines(at)
    assert latex[-1].endswith(tex_number(j01))
    p = softmax(DEFAULT_LOGITS)
    assert tex_number(p[0]) in latex[-1] and tex_number(p[1]) in latex[-1]


def test_a_clicked_cell_gets_its_derivation_with_the_current_numbers():
    at = open_page()
    at.select_slider(key="t").set_value(0.7).run()
    at.session_state[CELL_KEY] = (2, 2)  # what the chart's on_select callback stores
    at.run()
    text = all_markdown(at)
    assert "Click a cell" not in text
    assert "i = j = 2" in text
    p = softmax(DEFAULT_LOGITS, 0.7)
    latex = latex_lines(at)
    assert latex[-1].endswith(tex_number(softmax_jacobian(DEFAULT_LOGITS, 0.7)[2, 2]))
    assert tex_number(p[2] * (1 - p[2]) / 0.7) in latex[-1]
    # The outline on the heatmap marks the same cell.
    (rect,) = app_chart(at, "jacobian")["layout"]["shapes"]
    assert (rect["x0"] + rect["x1"]) / 2 == 2 and (rect["y0"] + rect["y1"]) / 2 == 2


def test_a_clicked_cell_outside_a_smaller_k_falls_back_to_the_default():
    at = open_page({"k": "6"})
    at.session_state[CELL_KEY] = (5, 4)
    at.run()
    assert "i = 5, j = 4" in all_markdown(at)
    at.slider(key="k").set_value(3).run()
    assert not at.exception
    assert "i = 0, j = 1" in all_markdown(at)


def test_property_line_reports_the_shown_jacobian():
    at = open_page({"k": "6"})
    text = all_markdown(at)
    assert "rows sum to 0" in text and "symmetric" in text
    assert "rank K − 1 = 5" in text and "= 5" in text


def test_reset_also_forgets_the_clicked_cell():
    at = open_page()
    at.session_state[CELL_KEY] = (2, 3)
    at.run()
    assert "i = 2, j = 3" in all_markdown(at)
    at.button(key="reset").click().run()
    assert not at.exception
    text = all_markdown(at)
    assert "Click a cell" in text and "i = 0, j = 1" in text
