"""What the live views of /softmax and /weights are sent: their state and constant data.

A live view (explorer/web/softmax_view.js, weights_view.js) reads a state object and a
block of constant data (ranges, colours, the plane's grid). Both are built here from the
settings of explorer/settings/specs.py, so the page that mounts the view and the offline lesson
file (explorer/offline.py) send exactly the same thing. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.figures.style import CLASS_COLORS, DIVERGING
from explorer.page_logic.softmax import OVERFLOW_SHIFT
from explorer.settings import specs
from explorer.settings.setting import Setting

#: Half-width of the square plane /weights shows: the sliders of x and W span [-3, 3].
PLANE_EXTENT = 3.3
#: Cells per side of the region grid the browser computes on /weights (row 0 at the top).
REGION_CELLS = 64


def softmax_state(values: Mapping[str, Any]) -> dict:
    """The checked /softmax settings as the state softmax_view.js reads."""
    i, j = (int(part) for part in values[specs.JACOBIAN_CELL.key].split(","))
    return {
        "k": values[specs.SOFTMAX_K.key],
        "z": [values[setting.key] for setting in specs.SOFTMAX_LOGITS],
        "t": values[specs.TEMPERATURE.key],
        "y": values[specs.SOFTMAX_TARGET.key],
        "big": values[specs.OVERFLOW_DEMO.key],
        "cell": [i, j],
    }


#: Constant data of the /softmax view: the ranges, the class colours, the colour scale.
SOFTMAX_DATA = {
    "limits": {
        "maxK": specs.MAX_CLASSES,
        "z": {key: getattr(specs.SOFTMAX_LOGITS[0], f"{key}_value" if key != "step" else key)
              for key in ("min", "max", "step")},
        "temperatures": list(specs.TEMPERATURE.options),
    },
    "colors": list(CLASS_COLORS),
    "diverging": DIVERGING,
    "shift": OVERFLOW_SHIFT,
}


def weights_state(values: Mapping[str, Any]) -> dict:
    """The checked /weights settings as the state weights_view.js reads (W[i][k])."""
    return {
        "k": values[specs.WEIGHTS_K.key],
        "x1": values[specs.EXAMPLE_X1.key],
        "x2": values[specs.EXAMPLE_X2.key],
        "y": values[specs.WEIGHTS_TARGET.key],
        "W": [[values[setting.key] for setting in row] for row in specs.WEIGHT_SLIDERS],
        "b": [values[setting.key] for setting in specs.BIAS_SLIDERS],
        "reg": values[specs.WEIGHTS_REG.key],
        "j": values[specs.PROB_CLASS.key],
        "mistake": values[specs.COMMON_MISTAKE.key],
        "lr": values[specs.WEIGHTS_LR.key],
    }


def _limits(setting: Setting) -> dict:
    return {"min": setting.min_value, "max": setting.max_value, "step": setting.step}


#: Constant data of the /weights view: ranges, the plane's grid, class colours, colour scale.
WEIGHTS_DATA = {
    "limits": {
        "maxK": specs.WEIGHTS_MAX_CLASSES,
        "x": _limits(specs.EXAMPLE_X1),
        "w": _limits(specs.WEIGHT_SLIDERS[0][0]),
        "reg": _limits(specs.WEIGHTS_REG),
        "learningRates": list(specs.WEIGHTS_LR.options),
    },
    "grid": {"xMin": -PLANE_EXTENT, "xMax": PLANE_EXTENT, "yMin": -PLANE_EXTENT,
             "yMax": PLANE_EXTENT, "nx": REGION_CELLS, "ny": REGION_CELLS},
    "colors": list(CLASS_COLORS),
    "diverging": DIVERGING,
}

#: Page -> (settings -> view state, the view's constant data).
VIEW_STATES = {"softmax": (softmax_state, SOFTMAX_DATA), "weights": (weights_state, WEIGHTS_DATA)}
