"""Temporary: the /training page imports from here until its split is merged."""

from explorer.page_logic.training_curves import curves  # noqa: F401
from explorer.page_logic.training_run import *  # noqa: F403
from explorer.page_logic.training_run import MAX_CURVE_POINTS  # noqa: F401
from explorer.page_logic.training_step import *  # noqa: F403
