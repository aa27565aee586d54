"""Numerical extremes: every control at both ends of its range, on every page, plots finite
numbers and raises nothing; diverging training is reported and never plotted as nan.

The controls are read from what each page renders (tests/app/page_probe.py), so dynamic
ranges and new pages are covered as they are. A control that only appears in some state
(z9 when K = 10, the second optimiser when comparing) is walked in the state where it first
appeared. Each run sets one control (plus that state) through the URL on a fresh session,
and checks the widget really shows the requested end, so a URL that silently fell back to
the default cannot pass for an extreme.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.app.page_probe import (
    PAGES,
    Bound,
    bound_widgets,
    chart_figures,
    exceptions,
    non_finite_numbers,
    open_page,
)
from tests.support.charts import app_player

TRAINING = "explorer/pages/training_page.py"


def ends(bound: Bound) -> list:
    """The values to try: a slider's two ends, every choice of a select box, the other
    state of a toggle. The default is what the first run already showed."""
    setting = bound.setting
    if setting.kind == "toggle":
        return [not setting.default]
    if setting.kind in ("select", "segmented"):
        if setting.uses_select_slider:
            return [setting.options[0], setting.options[-1]]
        return [option for option in setting.options if option != setting.default]
    return [setting.min_value, setting.max_value]


def check_run(script: str, query: dict[str, list[str]]):
    """Open ``script`` with ``query``; assert no exception and only finite chart numbers."""
    at = open_page(script, query)
    where = f"{script}?{'&'.join(f'{k}={v[0]}' for k, v in query.items())}"
    assert not at.exception, f"{where}:\n" + "\n".join(exceptions(at))
    for chart, figure in chart_figures(at):
        bad = list(non_finite_numbers(figure))
        assert not bad, f"{where}: chart {chart} has non-finite numbers at {bad[:5]}"
    return at


def walk(script: str) -> int:
    """Every control of ``script`` at each of its ends; returns the number of runs."""
    first = check_run(script, {})
    seen = set(bound_widgets(first))
    queue = [({}, bound) for bound in bound_widgets(first).values()]
    runs = 1
    while queue:
        context, bound = queue.pop(0)
        for end in ends(bound):
            query = {**context, bound.key: [bound.setting.format_option(end)]}
            at = check_run(script, query)
            runs += 1
            now = bound_widgets(at)
            assert bound.key in now, f"{script}?{query}: the {bound.key} control vanished"
            assert now[bound.key].shows(end), (
                f"{script}?{query}: {bound.key} shows {now[bound.key].value!r}, not {end!r}"
            )
            for key, new in now.items():
                if key not in seen:  # appeared in this state: walk it in this state
                    seen.add(key)
                    queue.append((query, new))
    return runs


@pytest.mark.parametrize("script", PAGES)
def test_every_control_at_both_ends_plots_finite_numbers(script):
    runs = walk(script)
    assert runs >= 1


def test_training_at_its_heaviest_settings_together():
    """The largest data, the longest run, the most classes, quadratic features."""
    at = check_run(TRAINING, {})
    bound = bound_widgets(at)
    heavy = {}
    for key in ("n", "steps", "classes", "batch"):
        if key in bound and bound[key].setting.kind == "int":
            heavy[key] = [str(int(bound[key].setting.max_value))]
    if "features" in bound and "quadratic" in bound["features"].setting.options:
        heavy["features"] = ["quadratic"]
    assert heavy, "the training page has none of its heavy controls"
    at = check_run(TRAINING, heavy)
    now = bound_widgets(at)
    for key, (value,) in heavy.items():
        assert now[key].setting.format_option(now[key].value) == value, key


# ----------------------------------------------------------------------------------------
# Divergence. With L2 strength reg the step of plain gradient descent is
#     W <- (1 - lr*reg) W - lr * grad(data loss),
# and the data gradient is bounded (|P - Y| <= 1, bounded inputs), so for lr*reg > 2 the
# factor |1 - lr*reg| > 1 makes W, and the loss 0.5*reg*|W|^2, grow geometrically: these
# runs must diverge whatever the data. Momentum and Nesterov only add to the growth; sgd
# is the same recursion on mini-batches.


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum", "nesterov"])
def test_diverging_training_is_reported_and_never_plotted_as_nan(optimizer):
    first = bound_widgets(check_run(TRAINING, {}))
    lr = max(first["lr"].setting.options)
    reg = first["reg"].setting.max_value
    assert lr * reg > 2, "the ranges no longer reach a surely diverging run; pick another"
    query = {"optimizer": [optimizer], "lr": [first["lr"].setting.format_option(lr)],
             "reg": [first["reg"].setting.format_option(reg)]}
    at = check_run(TRAINING, query)  # finite charts, no exception
    now = bound_widgets(at)
    assert now["optimizer"].value == optimizer and now["lr"].shows(lr) and now["reg"].shows(reg)
    errors = [str(error.value) for error in at.error]
    assert any("diverg" in error.lower() for error in errors), (
        f"{query}: no divergence error shown; errors: {errors}"
    )
    _, arrays = app_player(at)  # the player draws the loss curve: finite, never nan
    assert arrays["loss0"].size and np.isfinite(arrays["loss0"]).all(), "no finite loss curve"
    assert np.isfinite(arrays["W0"]).all() and np.isfinite(arrays["b0"]).all()


def test_a_converging_run_reports_no_divergence():
    """The default run is well-behaved: the divergence error must not cry wolf."""
    at = check_run(TRAINING, {})
    assert not any("diverg" in str(error.value).lower() for error in at.error)
