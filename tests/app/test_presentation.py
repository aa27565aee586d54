"""Presentation mode through the Python side (AppTest): ``present=true`` in the URL turns
the toggle on, raises every chart's text to the presentation sizes and folds the secondary
panels; without it the charts keep the laptop sizes. Every chart has its text alternative."""

from __future__ import annotations

import numpy as np
import pytest

from explorer import state
from explorer.figures.style import PRESENT_TEXT_SIZES, TEXT_SIZES
from tests.app.page_probe import PAGES, open_page
from tests.support.charts import app_chart, app_chart_keys

SOFTMAX = "explorer/pages/softmax_page.py"


def tick_sizes(at) -> list[float]:
    sizes = []
    for key in app_chart_keys(at):
        layout = app_chart(at, key)["layout"]
        sizes += [axis["tickfont"]["size"] for name, axis in layout.items()
                  if name.startswith(("xaxis", "yaxis"))]
    return sizes


@pytest.mark.parametrize(("query", "sizes"), [({}, TEXT_SIZES),
                                              ({"present": ["true"]}, PRESENT_TEXT_SIZES)],
                         ids=["normal", "present"])
def test_chart_text_follows_the_mode(query, sizes):
    at = open_page(SOFTMAX, query)
    assert not at.exception
    assert at.toggle(key=state.PRESENT.key).value is bool(query)
    found = tick_sizes(at)
    assert found and min(found) >= sizes["tick"]
    if not query:
        assert max(found) < PRESENT_TEXT_SIZES["tick"]


def test_presentation_folds_the_secondary_panels():
    normal = open_page(SOFTMAX)
    present = open_page(SOFTMAX, {"present": ["true"]})
    labels = {expander.label for expander in present.expander}
    assert "Where the entry comes from" in labels
    assert "Where the entry comes from" not in {e.label for e in normal.expander}


@pytest.mark.parametrize("script", PAGES)
def test_every_chart_has_a_text_alternative(script):
    at = open_page(script)
    assert not at.exception
    texts = [element.value for element in at.text if element.value.strip()]
    # one text per chart (the browser test checks each sits under its own chart)
    assert len(texts) >= len(app_chart_keys(at)) > 0 or script.endswith("home_page.py")


def test_the_probabilities_text_states_p():
    at = open_page(SOFTMAX)
    z = np.array(state.DEFAULT_LOGITS[:state.SOFTMAX_K.default])
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    wanted = "p = " + ", ".join(f"{value:.2f}" for value in p)
    assert any(wanted in element.value for element in at.text)
