"""Reset to defaults restores every control, including those whose range depends on K."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer import state

APP = "../../app.py"


def open_page(script: str, query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()  # registers the navigation's pages
    at.query_params.update(query)
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("script", "query", "moves", "settings"),
    [
        (
            "explorer/pages/weights_page.py",
            {"k": "5", "y": "4", "j": "3", "x1": "-2"},
            {"k": 4, "j": 2},
            (state.WEIGHTS_K, state.WEIGHTS_TARGET, state.PROB_CLASS, state.EXAMPLE_X1),
        ),
        (
            "explorer/pages/softmax_page.py",
            {"k": "7", "y": "6", "z0": "-3"},
            {"k": 6, "y": 5},
            (state.SOFTMAX_K, state.SOFTMAX_TARGET, state.SOFTMAX_LOGITS[0]),
        ),
    ],
)
def test_reset_restores_dependent_controls(script, query, moves, settings):
    at = open_page(script, query)
    for key, value in moves.items():
        at.slider(key=key).set_value(value).run()
    assert all(at.slider(key=key).value == value for key, value in moves.items())

    at.button(key="reset").click().run()

    assert not at.exception, at.exception
    for setting in settings:
        assert at.slider(key=setting.key).value == setting.default, setting.key
