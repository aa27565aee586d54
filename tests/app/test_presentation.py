"""Presentation mode through the Python side (AppTest): ``present=true`` in the URL turns
the toggle on, reaches every live component (the /softmax and /weights views, the
/training player) as its ``present`` flag, raises the server-drawn charts' text to the
presentation sizes and folds the secondary panels; without it everything keeps the laptop
sizes. Every server-drawn chart has its text alternative (the live charts' own texts are
read in Chromium: tests/e2e/test_readability_e2e.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.figures.style import PRESENT_TEXT_SIZES, TEXT_SIZES
from explorer.settings import specs
from tests.app.page_probe import PAGES, open_page
from tests.support.charts import app_chart, app_chart_keys, app_player

SOFTMAX = "explorer/pages/softmax_page.py"
WEIGHTS = "explorer/pages/weights_page.py"
TRAINING = "explorer/pages/training_page.py"
MODES = [({}, TEXT_SIZES), ({"present": ["true"]}, PRESENT_TEXT_SIZES)]
MODE_IDS = ["normal", "present"]


def tick_sizes(at) -> list[float]:
    sizes = []
    for key in app_chart_keys(at):
        layout = app_chart(at, key)["layout"]
        sizes += [axis["tickfont"]["size"] for name, axis in layout.items()
                  if name.startswith(("xaxis", "yaxis"))]
    return sizes


def component_flags(at) -> list[bool]:
    """The ``present`` flag each live view (bidi component with JSON data) was handed."""
    flags = []
    for element in at.get("bidi_component"):
        if element.proto.json:
            data = json.loads(element.proto.json)
            if isinstance(data, dict) and "present" in data:
                flags.append(data["present"])
    return flags


@pytest.mark.parametrize(("query", "sizes"), MODES, ids=MODE_IDS)
def test_server_chart_text_follows_the_mode(query, sizes):
    """/weights still draws one Plotly chart on the server (the numerical check)."""
    at = open_page(WEIGHTS, query)
    assert not at.exception
    assert at.toggle(key=specs.PRESENT.key).value is bool(query)
    found = tick_sizes(at)
    assert found and min(found) >= sizes["tick"]
    if not query:
        assert max(found) < PRESENT_TEXT_SIZES["tick"]


@pytest.mark.parametrize(("query", "sizes"), MODES, ids=MODE_IDS)
@pytest.mark.parametrize("script", [SOFTMAX, WEIGHTS])
def test_the_live_views_get_the_mode(script, query, sizes):
    at = open_page(script, query)
    assert not at.exception
    assert at.toggle(key=specs.PRESENT.key).value is bool(query)
    assert component_flags(at) == [bool(query)]


def test_the_training_player_gets_the_mode_and_nothing_else_changes():
    normal = open_page(TRAINING)
    again = open_page(TRAINING)
    present = open_page(TRAINING, {"present": ["true"]})
    for at in (normal, again, present):
        assert not at.exception
    header, arrays = app_player(normal)
    header_present, arrays_present = app_player(present)
    assert header["present"] is False and header_present is not None
    assert header_present["present"] is True
    # The payload differs only in the flag; an unrelated rerun sends the same bytes.
    assert {**header, "present": True} == header_present
    assert arrays.keys() == arrays_present.keys()
    assert all(np.array_equal(arrays[name], arrays_present[name]) for name in arrays)
    assert player_bytes(normal) == player_bytes(again)


def player_bytes(at) -> bytes:
    """The data bytes of the player component (explorer/pages/training_player.py)."""
    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith("-player")]
    return bytes(element.proto.bytes)


@pytest.mark.parametrize(("script", "label"), [
    (SOFTMAX, "Checks: rows sum to 0, symmetric, rank K − 1"),
    (WEIGHTS, "Gradient check of dp_j/dW"),
    (TRAINING, "Loss, accuracy and steps"),
])
def test_presentation_folds_the_secondary_panels(script, label):
    normal = open_page(script)
    present = open_page(script, {"present": ["true"]})
    folded = {expander.label: expander for expander in present.expander}
    assert label in folded
    assert label not in {e.label for e in normal.expander}


@pytest.mark.parametrize("script", PAGES)
def test_every_chart_has_a_text_alternative(script):
    """One text per server-drawn chart (the browser test checks each sits under its own
    chart); a lesson page draws at least one chart, on the server or live."""
    at = open_page(script)
    assert not at.exception
    texts = [element.value for element in at.text if element.value.strip()]
    charts = app_chart_keys(at)
    assert len(texts) >= len(charts)
    if not script.endswith("home_page.py"):
        assert charts or at.get("bidi_component")
