"""The settings of each page, as a lesson step sees them, and their dependent ranges.

A lesson step sets a page's controls through the same :class:`explorer.settings.setting.Setting`
objects the page builds its URL-bound widgets from, so a value a step may set is exactly a
value a link may carry. Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.datasets import DATASETS
from explorer.settings import specs
from explorer.settings.setting import Setting

#: The settings of every page, in URL order: the one home of each page's list (the page
#: scripts read their ``SETTINGS`` from here).
PAGE_SETTINGS: dict[str, tuple[Setting, ...]] = {
    "softmax": (
        specs.SOFTMAX_K, *specs.SOFTMAX_LOGITS, specs.TEMPERATURE, specs.SOFTMAX_TARGET,
        specs.OVERFLOW_DEMO, specs.JACOBIAN_CELL,
    ),
    "weights": (
        specs.WEIGHTS_K, specs.EXAMPLE_X1, specs.EXAMPLE_X2, specs.WEIGHTS_TARGET,
        *specs.WEIGHT_SLIDERS[0], *specs.WEIGHT_SLIDERS[1], *specs.BIAS_SLIDERS,
        specs.WEIGHTS_REG, specs.PROB_CLASS, specs.COMMON_MISTAKE, specs.WEIGHTS_LR,
    ),
    "training": (
        *specs.TRAINING_DATA, *specs.TRAINING_RUN, specs.COMPARE, specs.OPTIMIZER_B,
        specs.LEARNING_RATE_B, specs.STEP_AT, specs.VIEW, specs.LANDSCAPE_X, specs.LANDSCAPE_Y,
        specs.PULL_CLASS, specs.SHOW_TEST, specs.DISCRETE, specs.TABLE_ORDER, specs.TABLE_PAGE,
    ),
    "check": (specs.CHECK_N, specs.CHECK_D, specs.CHECK_K, specs.CHECK_SEED, specs.CHECK_REG),
}

#: Dataset values a lesson cannot use: ``custom`` needs the learner's own uploaded points.
UNAVAILABLE = {("training", "dataset"): {"custom": "it needs the learner's own points"}}
#: Settings that follow another when a step does not set them itself: /training keeps the
#: inspected step ``at`` on the last step taken (its default, 2000, means "the end").
FOLLOWS_ITS_RANGE = {("training", "at")}


def settings_by_key(page: str) -> dict[str, Setting]:
    """The settings of ``page`` by URL key."""
    return {setting.key: setting for setting in PAGE_SETTINGS[page]}


def defaults(page: str) -> dict[str, Any]:
    """Every setting of ``page`` at its default value."""
    return {setting.key: setting.default for setting in PAGE_SETTINGS[page]}


def bounded(page: str, setting: Setting, values: Mapping[str, Any]) -> Setting:
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

