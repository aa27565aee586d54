"""The settings of each page, as a lesson step sees them, and their dependent ranges.

A lesson step sets a page's controls through the same :class:`explorer.state.Setting`
objects the page builds its URL-bound widgets from, so a value a step may set is exactly a
value a link may carry. Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer import state
from explorer.datasets import DATASETS

#: The settings of every page, in URL order: the one home of each page's list (the page
#: scripts read their ``SETTINGS`` from here).
PAGE_SETTINGS: dict[str, tuple[state.Setting, ...]] = {
    "softmax": (
        state.SOFTMAX_K, *state.SOFTMAX_LOGITS, state.TEMPERATURE, state.SOFTMAX_TARGET,
        state.OVERFLOW_DEMO, state.JACOBIAN_CELL,
    ),
    "weights": (
        state.WEIGHTS_K, state.EXAMPLE_X1, state.EXAMPLE_X2, state.WEIGHTS_TARGET,
        *state.WEIGHT_SLIDERS[0], *state.WEIGHT_SLIDERS[1], *state.BIAS_SLIDERS,
        state.WEIGHTS_REG, state.PROB_CLASS, state.COMMON_MISTAKE, state.WEIGHTS_LR,
    ),
    "training": (
        state.DATASET, state.POINTS, state.CLASSES, state.NOISE, state.DATA_SEED,
        state.TEST_FRACTION, state.FEATURES, state.FEATURE_SCALE, state.OPTIMIZER,
        state.LEARNING_RATE, state.STEPS,
        state.TRAIN_REG, state.BATCH, state.INIT_SEED, state.COMPARE, state.OPTIMIZER_B,
        state.LEARNING_RATE_B, state.STEP_AT, state.VIEW, state.LANDSCAPE_X, state.LANDSCAPE_Y,
        state.PULL_CLASS, state.SHOW_TEST, state.DISCRETE, state.TABLE_ORDER, state.TABLE_PAGE,
    ),
    "check": (state.CHECK_N, state.CHECK_D, state.CHECK_K, state.CHECK_SEED, state.CHECK_REG),
}

#: Dataset values a lesson cannot use: ``custom`` needs the learner's own uploaded points.
UNAVAILABLE = {("training", "dataset"): {"custom": "it needs the learner's own points"}}
#: Settings that follow another when a step does not set them itself: /training keeps the
#: inspected step ``at`` on the last step taken (its default, 2000, means "the end").
FOLLOWS_ITS_RANGE = {("training", "at")}


def settings_by_key(page: str) -> dict[str, state.Setting]:
    """The settings of ``page`` by URL key."""
    return {setting.key: setting for setting in PAGE_SETTINGS[page]}


def defaults(page: str) -> dict[str, Any]:
    """Every setting of ``page`` at its default value."""
    return {setting.key: setting.default for setting in PAGE_SETTINGS[page]}


def bounded(page: str, setting: state.Setting, values: Mapping[str, Any]) -> state.Setting:
    """``setting`` with the range the page gives it once the other ``values`` are known.

    The same restrictions the pages put on their widgets: the target class and the
    differentiated class below K; on /training the number of classes the dataset allows,
    the pulled class below it and the inspected step at most the number of steps.
    """
    key = setting.key
    if page in ("softmax", "weights") and key in ("y", "j"):
        return setting.with_range(max_value=values["k"] - 1)
    if page == "training":
        if key == "classes" and values["dataset"] in DATASETS:
            spec = DATASETS[values["dataset"]]
            return setting.with_range(spec.min_classes, spec.max_classes)
        if key == "pull":
            return setting.with_range(max_value=values["classes"] - 1)
        if key == "at":
            return setting.with_range(max_value=values["steps"])
    return setting


def url_text(value: Any) -> str:
    """A value from a lesson file as the text a URL would carry (``true``, ``0.5``, ``adam``).

    Raises
    ------
    TypeError
        For anything but a bool, a number or a string (a list, a table, a date).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # TOML's 3.0 is the URL's 3, as Setting.format_option writes it
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"expected a number, true/false or text, got {type(value).__name__}")

