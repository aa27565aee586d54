"""Reset to defaults in a real browser, where the address bar holds every bound value.

/softmax and /weights are live views: their controls are range inputs ``[data-key=<key>]``
inside the component, the address bar follows them after the debounced sync, and a reset
must restore every control and clear the link. A control whose range depends on K (the
target class, the differentiated p_j) must follow K down.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from explorer.settings import specs
from tests.support.live import wait_idle

pytestmark = pytest.mark.e2e


def slider_value(page, key: str) -> str:
    return page.locator(f"input[data-key='{key}']").input_value()


def link(page) -> dict:
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def press(page, key: str, button: str, times: int = 1) -> None:
    page.locator(f"input[data-key='{key}']").focus()
    for _ in range(times):
        page.keyboard.press(button)
    page.wait_for_timeout(600)  # the debounced sync and its rerun
    wait_idle(page)


@pytest.mark.parametrize(
    ("path", "query", "dependent"),
    [
        ("weights", "k=5&y=2&j=3&x1=-2", (specs.WEIGHTS_TARGET, specs.PROB_CLASS)),
        ("softmax", "k=7&y=5&z0=-3", (specs.SOFTMAX_TARGET,)),
    ],
)
def test_reset_restores_every_control_and_clears_the_link(page, app_url, path, query, dependent):
    page.goto(f"{app_url}/{path}?{query}")
    wait_idle(page)
    press(page, "k", "ArrowLeft")  # K down by one: the dependent sliders are rebuilt
    wait_idle(page)
    assert all(s.key in link(page) for s in dependent)

    page.get_by_role("button", name="Reset to defaults").click()
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)

    assert link(page) == {}, f"the link still holds {link(page)}"
    for setting in dependent:
        assert float(slider_value(page, setting.key)) == setting.default, setting.key


@pytest.mark.parametrize(
    ("path", "query", "dependent"),
    [
        ("weights", "k=5&y=4&j=4", ("y", "j")),
        ("softmax", "k=6&y=5", ("y",)),
    ],
)
def test_lowering_k_below_a_dependent_value_clamps_it(page, app_url, path, query, dependent):
    page.goto(f"{app_url}/{path}?{query}")
    wait_idle(page)
    press(page, "k", "ArrowLeft")
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    k = int(slider_value(page, "k"))
    for key in dependent:
        assert int(slider_value(page, key)) <= k - 1, key
